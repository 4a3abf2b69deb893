"""Locust users for ``python -m benchmarks.load``: coordinators saving results of their own
pôle, and directors/ministry staff browsing dashboards. Every save the server acknowledged
(302 after POST) is appended to a ledger so the driver can check nothing was lost."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

LEDGER = os.environ.get("LOAD_LEDGER", "benchmarks/results/load-ledger.jsonl")
ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "{}"))
_coordinators = itertools.count()
_readers = itertools.count()


class EntryForm(HTMLParser):
    """Every field of the entry form, as a browser would submit it."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "entry" in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") != "file":
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.fields[name] = "on"
            else:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            # As a browser does: a newline right after <textarea> is not part of the value
            # (Django writes one; kept, an action's empty narrative would be posted as "\n").
            if self._textarea:
                self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def _login(client, username, password):
    page = client.get("/compte/login/", name="login page")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    client.post("/compte/login/", {"username": username, "password": password,
                                   "csrfmiddlewaretoken": token}, name="login")


class Coordinator(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        account = ACCOUNTS["coordinators"][next(_coordinators) % len(ACCOUNTS["coordinators"])]
        self.entry = account["entry"]
        _login(self.client, account["username"], account["password"])

    @task
    def save_a_result(self):
        page = self.client.get(self.entry, name="entry page")
        form = EntryForm()
        form.feed(page.text)
        fields = form.fields
        choices = [name for name in fields if re.fullmatch(r"i\d+-value", name)]
        if not choices:
            return
        name = random.choice(choices)
        # 20-100 fits every synthetic indicator: percentages, and additive totals whose two
        # members hold 10 each.
        value = str(random.randint(20, 100))
        fields[name] = value
        with self.client.post(self.entry, data=fields, name="entry save", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code == 302:
                response.success()
                with open(LEDGER, "a", encoding="utf-8") as ledger:
                    ledger.write(json.dumps({"entry": self.entry, "field": name,
                                             "value": value}) + "\n")
            else:
                response.failure(f"save answered {response.status_code}")


class Reader(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        account = ACCOUNTS["readers"][next(_readers) % len(ACCOUNTS["readers"])]
        self.pages = account["pages"]
        _login(self.client, account["username"], account["password"])

    @task
    def browse(self):
        for url, name in self.pages:
            self.client.get(url, name=name)


@events.test_start.add_listener
def _reset_ledger(**_kwargs):
    open(LEDGER, "w").close()
