def membership(request):
    """The signed-in user's membership (role and pôle), for the navigation bar, and whether
    they may try target texts (the « Essayer une cible » links)."""
    from indicators.access import can_preview_targets

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None, "may_preview_targets": False}
    return {"membership": getattr(user, "membership", None),
            "may_preview_targets": can_preview_targets(user)}
