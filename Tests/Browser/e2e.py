#!/usr/bin/env python3
"""End-to-end test of Passage's web pages in a real headless Chromium (issue 20, "Must show").

Starts the built `passage serve --demo` on free ports in a fresh data directory, reads the demo
accounts and the HTTP port from what it prints, and drives Debian's chromium through its
chromedriver with Selenium (no Selenium Manager, nothing downloaded):

  - checks that /openapi.json serves what `passage docs openapi` prints, and that it validates;
  - signs in as each role and checks it sees only what the role may see: the navigation links,
    the page each role lands on, 200 on its own pages and 403 on the others, then signs out;
  - as a caseworker of a provider organisation, accepts an incoming referral on /referrals and
    sees its status change, then sees the change from the referring organisation's side;
  - as an analyst previews a statistics table and downloads its HXL export, parsed with libhxl;
  - switches to Arabic and checks document.documentElement.dir == "rtl", kept across pages;
  - finds no Content-Security-Policy refusal or script error in the browser's console;
  - reaches the skip link with the first Tab, and the main content with Enter on it;
  - saves a screenshot of each page (Docs/screenshots/<page>.png by default);
  - stops the server at the end, also on failure.

Builds nothing: Tests/Browser/run.sh finds the binary. Usage:
  python3 Tests/Browser/e2e.py --passage .build/debug/passage [--screenshots DIR] [--keep]
Prints one line per check and closes with "browser: N passed, M failed".
"""

import argparse
import base64
import glob
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

# --- What the pages look like: every selector and path in one place (Sources/PassageHTTP/Web) ---
SEL = {
    "login_form": "form#login",
    "login_user": "form#login input[name=user]",
    "login_password": "form#login input[name=password]",
    "login_submit": "form#login button[type=submit]",
    "who": "#who",  # "Signed in as NAME (ROLE, ORGANISATION)"
    "nav_links": "nav#nav a",
    "logout": "form#logout button[type=submit]",
    "message_title": "#message-title",  # the 403/404 message pages
    "start_admin": "#start-admin",  # an administrator's start page
    "referrals_heading": "#incoming-heading",
    "outgoing_pending_rows": "table#outgoing tbody tr[data-status=pending]",
    "outgoing_row": "tr#outgoing-{id}",
    "outgoing_case_link": "table#outgoing a[href^='/cases/']",
    # Outgoing table columns: th(id), td(case), td(need), td(provider), …
    "outgoing_provider_cell": "td:nth-of-type(3)",
    "incoming_row": "tr#incoming-{id}",
    "incoming_accept": "form#incoming-form-{id} button[name=action][value=accept]",
    "moved_notice": "#notice",
    "case_title": "#case-title",
    "record_person": "a#record-person",
    "person_form": "form#person-form",
    "person_field": "form#person-form input[name={name}]",
    "person_submit": "form#person-form button[type=submit]",
    "person_recorded": "#person-recorded",
    "possible_duplicates": "section#possible-duplicates",
    "duplicate_case_link": "section#possible-duplicates a[data-case='{id}']",
    "case_classification": "#classification-heading",
    "statistics_form": "form#statistics",
    "statistics_dimension": "#by-{name}",
    "statistics_preview": "button#preview",
    "statistics_table": "table#preview-table",
    "statistics_budget": "#budget",
    "download_hxl": "a#download-hxl",
    "gaps_filter": "form#gaps-filter",
    "gaps_result": "table#gaps, #gaps-empty",
    "language_link": "nav#languages a[hreflang={lang}]",
    "skip_link": "a.skip",
    "main": "main#main",
}
PAGES = {
    "login": "/login",
    "referrals": "/referrals",
    "statistics": "/statistics",
    "gaps": "/gaps",
    "case": "/cases/{id}",
}
# The role matrix (PassageCore UseCase, Docs/console-protocol.md): which pages each role may open.
# Casework (caseworker, supervisor) has referrals and cases; analyst and policy the aggregate
# pages; an administrator none (administration is the console's).
ALLOWED = {
    "caseworker": {"referrals", "case"},
    "supervisor": {"referrals", "case"},
    "analyst": {"statistics", "gaps"},
    "policy": {"statistics", "gaps"},
    "admin": set(),
}
NAV_PAGES = ["referrals", "statistics", "gaps"]  # pages that have a navigation link
LANDING = {"caseworker": "referrals", "supervisor": "referrals", "analyst": "statistics", "policy": "gaps"}

CHROMIUM = os.environ.get("PASSAGE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PASSAGE_CHROMEDRIVER", "/usr/bin/chromedriver")
SERVER_START_SECONDS = 240  # a cold embedded cluster plus the demo load on two busy cores
WAIT_SECONDS = 30  # one page element or download
PROVIDER_USER = "e2e-provider-caseworker"
PROVIDER_PASSWORD = "e2e-provider-pass-7d3f"

# Selenium Manager would look for (and download) a browser and driver: we give both explicitly,
# and tell it to stay offline should anything reach it.
os.environ["SE_OFFLINE"] = "true"
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class CheckFailed(Exception):
    pass


def css(key, **values):
    return SEL[key].format(**values)


# --- The server ---------------------------------------------------------------------------------


class Server:
    """`passage serve --demo` on free ports in a fresh data directory; its output is read by a
    thread into a queue (and kept for failure messages)."""

    def __init__(self, passage, workdir):
        self.passage = passage
        self.workdir = workdir
        self.data_dir = os.path.join(workdir, "data")
        self.lines = []
        self.queue = queue.Queue()
        self.process = None
        self.accounts = {}  # role -> (name, password)
        self.base = None

    def start(self):
        command = [self.passage, "serve", "--demo", "--port", "0", "--http-port", "0", "--data-dir", self.data_dir]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
            bufsize=1, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + SERVER_START_SECONDS
        account = re.compile(r"^\s*AUTH (\S+) (\S+)\s+\((\w+)\)\s*$")
        listening = re.compile(r"HTTP API and web pages on (\S+):(\d+)")
        while self.base is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CheckFailed(f"the server printed no 'HTTP API and web pages on' line within "
                                  f"{SERVER_START_SECONDS} s; its output:\n{self.output()}")
            try:
                line = self.queue.get(timeout=min(left, 1))
            except queue.Empty:
                if self.process.poll() is not None:
                    raise CheckFailed(f"the server exited with {self.process.returncode} while starting; "
                                      f"its output:\n{self.output()}")
                continue
            if line is None:
                continue
            if m := account.match(line):
                self.accounts[m.group(3)] = (m.group(1), m.group(2))
            elif m := listening.search(line):
                host = m.group(1).strip("[]")
                self.base = f"http://{host}:{m.group(2)}"
        missing = set(ALLOWED) - set(self.accounts)
        if missing:
            raise CheckFailed(f"the server printed no demo account for {sorted(missing)}; its output:\n{self.output()}")

    def _read(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            self.queue.put(line)
        self.queue.put(None)

    def output(self, last=60):
        return "\n".join(self.lines[-last:])

    def url(self, path):
        return self.base + path

    def add_user(self, name, password, role, organisation):
        """A user of another organisation through `passage user add`, which works beside the
        running server (it reaches the same embedded cluster)."""
        result = subprocess.run(
            [self.passage, "user", "add", name, "--role", role, "--org", organisation, "--password-stdin",
             "--data-dir", self.data_dir],
            input=password + "\n", capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise CheckFailed(f"passage user add {name} --org {organisation!r} failed ({result.returncode}):\n"
                              f"{result.stdout}{result.stderr}")

    def stop(self):
        """SIGTERM (the server stops its PostgreSQL cluster itself), SIGKILL after 60 s, and then
        the cluster's postmaster if it was left behind."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                print("warning: the server did not stop within 60 s of SIGTERM; killing it", file=sys.stderr)
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        pid_file = os.path.join(self.data_dir, "data", "postmaster.pid")
        for _ in range(100):
            if not os.path.exists(pid_file):
                return
            time.sleep(0.1)
        try:
            with open(pid_file) as handle:
                postmaster = int(handle.readline().strip())
            print(f"warning: PostgreSQL {postmaster} outlived the server; stopping it", file=sys.stderr)
            os.kill(postmaster, signal.SIGQUIT)  # immediate shutdown of a throwaway cluster
        except (OSError, ValueError):
            pass


# --- The browser --------------------------------------------------------------------------------


class Browser:
    def __init__(self, downloads):
        self.downloads = downloads
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,900", "--lang=en-GB", "--no-first-run", "--disable-extensions",
                         "--disable-background-networking", "--disable-sync", "--disable-default-apps",
                         "--disable-component-update", "--force-device-scale-factor=1"]:
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": downloads, "download.prompt_for_download": False,
            "intl.accept_languages": "en-GB,en"})
        # The performance log carries each navigation's response status (a 403 page looks like any page).
        # The console log shows what only a browser enforces: Content-Security-Policy refusals
        # and script errors.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        for path, what in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver")]:
            if not os.access(path, os.X_OK):
                raise CheckFailed(f"{what} not found at {path} (Deploy/install-deps.sh installs Debian's)")
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(WAIT_SECONDS * 2)
        self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    def wait(self, selector, what, seconds=WAIT_SECONDS, visible=True):
        condition = EC.visibility_of_element_located if visible else EC.presence_of_element_located
        try:
            return WebDriverWait(self.driver, seconds).until(condition((By.CSS_SELECTOR, selector)))
        except TimeoutException:
            raise CheckFailed(f"{what}: no element {selector!r} within {seconds} s on {self.driver.current_url}\n"
                              f"page text: {self.text()[:1500]}")

    def wait_until(self, predicate, what, seconds=WAIT_SECONDS):
        try:
            return WebDriverWait(self.driver, seconds).until(lambda driver: predicate())
        except TimeoutException:
            raise CheckFailed(f"{what}: not so within {seconds} s on {self.driver.current_url}\n"
                              f"page text: {self.text()[:1500]}")

    def console_problems(self):
        """Console entries since the last call that are CSP refusals or script errors (failed
        loads such as a 403 page's own status or /favicon.ico are not)."""
        problems = []
        for entry in self.driver.get_log("browser"):
            message = entry.get("message", "")
            if "Content Security Policy" in message or entry.get("source") == "javascript":
                problems.append(f"{entry.get('level')} {message}")
        return problems

    def text(self):
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            return ""

    def find_all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    def open(self, url):
        """Navigates and returns the HTTP status of the document the browser ended on."""
        self.driver.get_log("performance")  # drop what earlier pages logged
        self.driver.get(url)
        return self.last_document_status()

    def last_document_status(self):
        """The status of the last document response in the performance log (after any redirect,
        the page now shown), waiting briefly for the log to hold it."""
        status = None
        deadline = time.monotonic() + WAIT_SECONDS
        while status is None and time.monotonic() < deadline:
            for entry in self.driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
                    status = message["params"]["response"]["status"]
            if status is None:
                time.sleep(0.1)
        if status is None:
            raise CheckFailed(f"no document response was logged for {self.driver.current_url}")
        return status

    def screenshot(self, directory, name):
        """The whole page: the viewport is made as tall as the page (at most 4000 px) for the
        capture, so right-to-left pages come out as the browser lays them out."""
        if not directory:
            return None
        os.makedirs(directory, exist_ok=True)
        height = self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        metrics = {"width": 1280, "height": max(600, min(int(height), 4000)), "deviceScaleFactor": 1, "mobile": False}
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        try:
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        path = os.path.join(directory, f"{name}.png")
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(shot["data"]))
        return path


# --- The checks ---------------------------------------------------------------------------------


class Suite:
    def __init__(self, server, browser, screenshots):
        self.server = server
        self.browser = browser
        self.screenshots = screenshots
        self.passed = 0
        self.case_id = None

    def check(self, condition, message):
        if not condition:
            raise CheckFailed(message + f"\n  at {self.browser.driver.current_url}\n  page text: "
                              + self.browser.text()[:1500])
        self.passed += 1
        print(f"ok {self.passed} - {message}", flush=True)

    def sign_in(self, name, password):
        b = self.browser
        status = b.open(self.server.url(PAGES["login"]))
        self.check(status == 200, f"/login answers 200 (got {status})")
        b.wait(css("login_form"), "the sign-in form")
        user = b.driver.find_element(By.CSS_SELECTOR, css("login_user"))
        user.clear()
        user.send_keys(name)
        b.driver.find_element(By.CSS_SELECTOR, css("login_password")).send_keys(password)
        b.driver.get_log("performance")
        b.driver.find_element(By.CSS_SELECTOR, css("login_submit")).click()
        b.wait_until(lambda: b.path() != PAGES["login"], f"{name} leaves /login after signing in")
        who = b.wait(css("who"), f"the signed-in line of {name}").text
        self.check(name in who, f"{name} is signed in ({who!r})")
        return who

    def sign_out(self, name):
        b = self.browser
        b.driver.find_element(By.CSS_SELECTOR, css("logout")).click()
        b.wait_until(lambda: b.path() == PAGES["login"], f"{name} is back on /login after signing out")
        b.wait(css("login_form"), "the sign-in form after signing out")
        # The session is gone: a signed-in page sends the browser to the sign-in form again.
        b.open(self.server.url(PAGES["referrals"]))
        self.check(b.path() == PAGES["login"], f"after signing out, /referrals sends {name} to /login")

    def nav_paths(self):
        return [urllib.parse.urlsplit(link.get_attribute("href")).path for link in self.browser.find_all(css("nav_links"))]

    def page_path(self, page):
        return PAGES[page].format(id=self.case_id)

    def roles(self):
        """Each role: its landing page, its navigation, its pages open and the others refused."""
        b = self.browser
        b.open(self.server.url(PAGES["login"]))
        b.screenshot(self.screenshots, "login")
        for role in ["caseworker", "supervisor", "analyst", "policy", "admin"]:
            name, password = self.server.accounts[role]
            self.sign_in(name, password)
            if role in LANDING:
                self.check(b.path() == PAGES[LANDING[role]], f"{role} lands on {PAGES[LANDING[role]]} (at {b.path()})")
            else:
                b.wait(css("start_admin"), "the administrator's start page")
                self.check(b.path() == "/", f"{role} lands on the start page")
                b.screenshot(self.screenshots, "start-admin")
            expected = [PAGES[page] for page in NAV_PAGES if page in ALLOWED[role]]
            self.check(self.nav_paths() == expected, f"{role} sees navigation {expected} (got {self.nav_paths()})")
            if self.case_id is None and "referrals" in ALLOWED[role]:
                b.open(self.server.url(PAGES["referrals"]))
                link = b.wait(css("outgoing_case_link"), "a case link among the outgoing referrals")
                self.case_id = urllib.parse.urlsplit(link.get_attribute("href")).path.rsplit("/", 1)[1]
            for page in ["referrals", "case", "statistics", "gaps"]:
                path = self.page_path(page)
                if page == "case" and self.case_id is None:
                    raise CheckFailed("no case id was found before the case page was tried")
                status = b.open(self.server.url(path))
                if page in ALLOWED[role]:
                    self.check(status == 200, f"{role} opens {path}: 200 (got {status})")
                    self.page_content(page, role)
                else:
                    self.check(status == 403, f"{role} is refused {path}: 403 (got {status})")
                    b.wait(css("message_title"), f"the refusal page of {path}")
                    self.check(not self.data_shown(), f"{role}'s refusal of {path} shows no data")
                    if role == "admin" and page == "gaps":
                        b.screenshot(self.screenshots, "forbidden")
            self.sign_out(name)

    def keyboard(self):
        """With the keyboard alone: the first Tab reaches the skip link, Enter on it moves the
        focus to the page's main content."""
        b = self.browser
        skip = b.driver.find_element(By.CSS_SELECTOR, css("skip_link"))
        main = b.driver.find_element(By.CSS_SELECTOR, css("main"))
        b.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        focused = b.driver.switch_to.active_element
        self.check(focused == skip, f"the first Tab focuses the skip link ({focused.get_attribute('outerHTML')[:80]})")
        focused.send_keys(Keys.ENTER)
        b.wait_until(lambda: b.driver.switch_to.active_element == main, "Enter on the skip link focuses main")
        self.check(True, "Enter on the skip link moves the focus to the main content")

    def data_shown(self):
        return bool(self.browser.find_all("table"))

    def page_content(self, page, role):
        """What a page a role may open must show, and its screenshot (taken once per page)."""
        b = self.browser
        if page == "referrals":
            b.wait(css("referrals_heading"), "the referrals page")
            if role == "caseworker":
                b.screenshot(self.screenshots, "referrals")
                self.keyboard()
        elif page == "case":
            b.wait(css("case_title"), "the case page")
            b.wait(css("case_classification"), "the case's classification", visible=False)
            if role == "caseworker":
                b.screenshot(self.screenshots, "case")
        elif page == "statistics":
            b.wait(css("statistics_form"), "the statistics form")
            b.wait(css("statistics_budget"), "the privacy budget", visible=False)
        elif page == "gaps":
            b.wait(css("gaps_filter"), "the gaps filter")
            b.wait(css("gaps_result"), "the gaps table or its empty note", visible=False)
            if role == "policy":
                b.screenshot(self.screenshots, "gaps")

    def accept_referral(self):
        """A pending referral of the demo organisation, accepted by a caseworker of the provider's
        organisation; the referring side then sees it accepted."""
        b = self.browser
        name, password = self.server.accounts["caseworker"]
        self.sign_in(name, password)
        b.open(self.server.url(PAGES["referrals"]))
        b.wait(css("referrals_heading"), "the referrals page")
        rows = b.find_all(css("outgoing_pending_rows"))
        self.check(len(rows) > 0, f"{name} has pending outgoing referrals")
        row = rows[0]
        referral = row.get_attribute("data-referral")
        provider = row.find_element(By.CSS_SELECTOR, css("outgoing_provider_cell")).text.strip()
        self.check(bool(referral) and bool(provider), f"referral {referral} waits for provider {provider!r}")
        self.sign_out(name)

        # The demo accounts are all in the referring organisation: the receiving side gets one.
        self.server.add_user(PROVIDER_USER, PROVIDER_PASSWORD, "caseworker", provider)
        who = self.sign_in(PROVIDER_USER, PROVIDER_PASSWORD)
        self.check(provider in who, f"{PROVIDER_USER} works for {provider!r}")
        b.open(self.server.url(PAGES["referrals"]))
        row = b.wait(css("incoming_row", id=referral), f"incoming referral {referral}")
        self.check(row.get_attribute("data-status") == "pending", f"incoming referral {referral} is pending")
        b.screenshot(self.screenshots, "referrals-incoming")
        b.driver.find_element(By.CSS_SELECTOR, css("incoming_accept", id=referral)).click()
        notice = b.wait(css("moved_notice"), f"the notice that referral {referral} moved")
        row = b.wait(css("incoming_row", id=referral), f"incoming referral {referral} after accepting")
        self.check(row.get_attribute("data-status") == "accepted",
                   f"incoming referral {referral} is accepted after the click ({notice.text!r})")
        b.screenshot(self.screenshots, "referrals-accepted")
        self.sign_out(PROVIDER_USER)

        self.sign_in(name, password)
        b.open(self.server.url(PAGES["referrals"]))
        row = b.wait(css("outgoing_row", id=referral), f"outgoing referral {referral} on the referring side")
        self.check(row.get_attribute("data-status") == "accepted",
                   f"the referring side sees referral {referral} accepted")
        self.sign_out(name)

    def record_person(self, case, fields):
        """Records who `case` is about through its form (reached from the case page); the page after."""
        b = self.browser
        b.open(self.server.url(PAGES["case"].format(id=case)))
        b.wait(css("record_person"), f"the link to record the person of case {case}").click()
        b.wait(css("person_form"), f"the person form of case {case}")
        for name, value in fields.items():
            b.driver.find_element(By.CSS_SELECTOR, css("person_field", name=name)).send_keys(value)
        b.driver.find_element(By.CSS_SELECTOR, css("person_submit")).click()
        b.wait(css("person_recorded"), f"the confirmation for case {case}")

    def duplicate_warning(self):
        """A caseworker records a person on one case, then the same person spelt otherwise on
        another: the page warns that they may be the person of the first case, linking it."""
        b = self.browser
        name, password = self.server.accounts["caseworker"]
        self.sign_in(name, password)
        b.open(self.server.url(PAGES["referrals"]))
        b.wait(css("outgoing_case_link"), "case links among the outgoing referrals")
        cases = []
        for link in b.find_all(css("outgoing_case_link")):
            case = urllib.parse.urlsplit(link.get_attribute("href")).path.rsplit("/", 1)[1]
            if case not in cases:
                cases.append(case)
        self.check(len(cases) >= 2, f"{name} has two cases to record persons on ({cases})")
        first, second = cases[0], cases[1]
        # The date field is type=date: Chromium takes the digits in the browser's order (en-US).
        self.record_person(first, {"name": "Zubaida Qaraqish Haddad", "dob": "11231979", "phone": "+962 79 000 4242"})
        self.record_person(second, {"name": "Zoubaida Karakish", "dob": "11231979", "phone": "0790004242"})
        b.wait(css("possible_duplicates"), "the duplicate warning")
        link = b.wait(css("duplicate_case_link", id=first), f"the warning's link to case {first}")
        self.check(f"/cases/{first}" in link.get_attribute("href"), f"the warning links case {first}")
        self.check("Qaraqish" not in b.text(), "the warning shows no identifier of the other person")
        b.screenshot(self.screenshots, "person-duplicate-warning")
        self.sign_out(name)

    def statistics_download(self):
        """An analyst previews a table by category and downloads it as HXL; libhxl reads it."""
        import hxl

        b = self.browser
        name, password = self.server.accounts["analyst"]
        self.sign_in(name, password)
        b.open(self.server.url(PAGES["statistics"]))
        b.wait(css("statistics_form"), "the statistics form")
        box = b.driver.find_element(By.CSS_SELECTOR, css("statistics_dimension", name="category"))
        if not box.is_selected():
            box.click()
        b.driver.find_element(By.CSS_SELECTOR, css("statistics_preview")).click()
        table = b.wait(css("statistics_table"), "the statistics preview table")
        self.check(len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) > 0, "the statistics preview has rows")
        b.screenshot(self.screenshots, "statistics")
        for stale in glob.glob(os.path.join(b.downloads, "*")):
            os.remove(stale)
        b.driver.find_element(By.CSS_SELECTOR, css("download_hxl")).click()

        def downloaded():
            files = [f for f in glob.glob(os.path.join(b.downloads, "*")) if not f.endswith(".crdownload")]
            partial = glob.glob(os.path.join(b.downloads, "*.crdownload"))
            return files[0] if files and not partial else None

        path = b.wait_until(downloaded, "the HXL download lands in the download directory")
        self.check(path.endswith(".hxl.csv"), f"the HXL download is a .hxl.csv file ({os.path.basename(path)})")
        dataset = hxl.data(path, hxl.InputOptions(allow_local=True)).cache()
        tags = [column.display_tag for column in dataset.columns]
        self.check("#group+category+code" in tags and any(t.startswith("#affected") for t in tags),
                   f"libhxl reads the HXL hashtags {tags}")
        rows = list(dataset)
        self.check(len(rows) > 0, f"libhxl reads {len(rows)} data rows")
        report = hxl.validate(hxl.data(path, hxl.InputOptions(allow_local=True)))
        errors = [issue for issue in report["issues"] if issue["severity"] == "error"]
        self.check(not errors and not report["stats"]["error"], f"libhxl's validation finds no error ({errors})")
        count_tag = next(t for t in tags if t.startswith("#affected"))
        for row in rows:
            count, suppressed = row.get(count_tag), row.get("#meta+suppressed")
            if suppressed == "true":
                self.check(count in (None, ""), f"a suppressed cell ({row.get('#group')}) has no count, not zero")
            else:
                self.check(count is not None and str(count).isdigit(),
                           f"a published cell ({row.get('#group')}) has a whole count ({count})")
        self.sign_out(name)

    def openapi(self):
        """The served /openapi.json is the document `passage docs openapi` prints, and it validates."""
        import urllib.request

        from openapi_spec_validator import validate
        from openapi_spec_validator.readers import read_from_filename

        with urllib.request.urlopen(self.server.url("/openapi.json"), timeout=WAIT_SECONDS) as response:
            served = response.read()
            kind = response.headers.get("Content-Type", "")
        self.check(kind.startswith("application/json"), f"/openapi.json is JSON ({kind})")
        printed = subprocess.run([self.server.passage, "docs", "openapi"], capture_output=True, timeout=60,
                                 check=True).stdout
        self.check(served == printed.rstrip(b"\n"), "/openapi.json serves the bytes passage docs openapi prints")
        path = os.path.join(self.server.workdir, "openapi.json")
        with open(path, "wb") as handle:
            handle.write(served)
        document, _ = read_from_filename(path)
        validate(document)  # raises with the validator's message
        self.check(True, "openapi-spec-validator accepts the served document")

    def arabic(self):
        """The switcher's Arabic link lays the page out right to left, on the same page; the
        choice stays for the next page; English switches back."""
        b = self.browser
        name, password = self.server.accounts["policy"]
        self.sign_in(name, password)
        direction = "return [document.documentElement.dir, document.documentElement.lang]"
        b.open(self.server.url(PAGES["gaps"]))
        b.wait(css("gaps_filter"), "the gaps page")
        self.check(b.driver.execute_script(direction) == ["ltr", "en"], "the gaps page starts in English, ltr")
        b.driver.find_element(By.CSS_SELECTOR, css("language_link", lang="ar")).click()
        b.wait_until(lambda: b.driver.execute_script(direction) == ["rtl", "ar"],
                     "the Arabic link gives <html dir=rtl lang=ar>")
        b.wait(css("gaps_filter"), "the gaps page in Arabic")
        self.check(b.path() == PAGES["gaps"], f"the Arabic link keeps the page ({b.path()}), now dir=rtl lang=ar")
        b.screenshot(self.screenshots, "gaps-ar")
        b.open(self.server.url(PAGES["statistics"]))
        b.wait(css("statistics_form"), "the statistics page in Arabic")
        self.check(b.driver.execute_script(direction) == ["rtl", "ar"], "the next page stays Arabic, right to left")
        b.screenshot(self.screenshots, "statistics-ar")
        b.driver.find_element(By.CSS_SELECTOR, css("language_link", lang="en")).click()
        b.wait_until(lambda: b.driver.execute_script(direction) == ["ltr", "en"],
                     "the English link gives <html dir=ltr lang=en> again")
        self.check(b.path() == PAGES["statistics"], "the English link switches back to ltr on the same page")
        self.sign_out(name)
        b.open(self.server.url(PAGES["login"] + "?lang=ar"))
        b.wait(css("login_form"), "the sign-in form in Arabic")
        self.check(b.driver.execute_script(direction) == ["rtl", "ar"], "/login?lang=ar is right to left")
        b.screenshot(self.screenshots, "login-ar")
        b.open(self.server.url(PAGES["login"] + "?lang=en"))

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passage", required=True, help="the built passage executable")
    parser.add_argument("--screenshots", default="Docs/screenshots", help="where page screenshots go ('' for none)")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (printed) for a look after")
    arguments = parser.parse_args()
    if not os.access(arguments.passage, os.X_OK):
        print(f"browser: {arguments.passage} is not an executable: build first (swift build)", file=sys.stderr)
        return 2

    # The cluster runs as the postgres user when we are root: its directory must be reachable.
    workdir = tempfile.mkdtemp(prefix="passage-browser-", dir="/tmp")
    os.chmod(workdir, 0o755)
    downloads = os.path.join(workdir, "downloads")
    os.makedirs(downloads)
    failures_dir = tempfile.gettempdir()
    server = Server(os.path.abspath(arguments.passage), workdir)
    browser = None
    suite = None
    failed = 0
    started = time.monotonic()
    try:
        server.start()
        print(f"server up at {server.base} after {time.monotonic() - started:.1f} s", flush=True)
        browser = Browser(downloads)
        suite = Suite(server, browser, arguments.screenshots)
        for step in [
            suite.openapi, suite.roles, suite.accept_referral, suite.duplicate_warning, suite.statistics_download,
            suite.arabic,
        ]:
            step()
            problems = browser.console_problems()
            suite.check(not problems, f"{step.__name__}: no CSP refusal or script error in the console {problems}")
    except Exception as error:  # every failure ends the same way: a message, a screenshot, the server stopped
        failed = 1
        print(f"not ok - {error}", file=sys.stderr, flush=True)
        if not isinstance(error, CheckFailed):
            traceback.print_exc()
        if browser is not None:
            try:
                shot = browser.screenshot(failures_dir, "passage-browser-failure")
                print(f"failure screenshot: {shot}", file=sys.stderr)
            except WebDriverException:
                pass
        print(f"server output (last lines):\n{server.output()}", file=sys.stderr)
    finally:
        if browser is not None:
            browser.quit()
        server.stop()
        if arguments.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    passed = suite.passed if suite else 0
    print(f"browser suite took {time.monotonic() - started:.1f} s", flush=True)
    print(f"browser: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
