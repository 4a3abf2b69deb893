from django import forms
from django.utils.translation import gettext_lazy as _


class PublicationForm(forms.Form):
    public = forms.BooleanField(
        label=_("Publier la page publique du pôle et ses données ouvertes"), required=False,
        help_text=_("La page montre le plan et les résultats des années approuvées, jamais "
                    "une année en brouillon ou soumise, un commentaire, une pièce "
                    "justificative ni le nom d'une personne."))
