"""Tocsin's incident console in a real browser: Debian's chromium, driven through
chromium-driver by PyPI's selenium, each page audited by axe-core (PyPI's
axe-selenium-python). Run by ConsoleBrowserTests with a daemon that has incident 1 open,
its alert summary and labels carrying script and markup payloads, and incident 2, on
another service, acknowledged four minutes after it opened (for the review's figures), its
timeline longer than the window the incident page shows.

Arguments: BASE_URL SCREENSHOT_FOLDER SUMMARY LABEL_VALUE NOTE LIVE_SUMMARY
Prints one `OK ...` line per check and exits 0, or prints `FAIL ...` and exits 1.
"""
import json
import os
import sys
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

base_url, shots, summary, label_value, note, live_summary = sys.argv[1:7]
COMMANDER, LEADER, MONITORING = "token-chen", "token-li", "token-monitoring"


def check(condition, what):
    if not condition:
        print("FAIL", what, flush=True)
        raise SystemExit(1)
    print("OK", what, flush=True)


def no_dialog(driver, where):
    try:
        text = driver.switch_to.alert.text
        check(False, f"no dialog on {where} (one said {text!r})")
    except NoAlertPresentException:
        check(True, f"no dialog on {where}")


def shot(driver, name):
    # axe scrolls what it checks into view; the picture shows the page as it opens.
    driver.execute_script("document.querySelectorAll('.calendar-frame').forEach(e => { e.scrollLeft = 0; }); window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, max(900, min(height + 120, 4000)))
    driver.save_screenshot(os.path.join(shots, name + ".png"))


def accessible(driver, page):
    """axe-core on the page as it stands: no serious or critical violation."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    check(len(results["passes"]) > 10, f"axe ran its rules on {page}")
    for v in results["violations"]:
        print("NOTE axe", page, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:4], flush=True)
    bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    found = "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:4]}" for v in bad)
    check(not bad, f"axe finds no serious or critical violation on {page} {found}")


def api(method, path, token, body=None):
    request = urllib.request.Request(base_url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("TOCSIN_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(os.environ.get("TOCSIN_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)


def follow(driver, element):
    """Clicks a link or a form's button and waits until the browser has left the page."""
    element.click()

    def gone(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:  # stale, or "does not belong to the document" while the new page loads
            return True
    WebDriverWait(driver, 10).until(gone)


def sign_in(driver, token):
    driver.get(base_url + "/sign-in")
    driver.find_element(By.ID, "token").send_keys(token)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form.sign-in button"))
    WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.incidents")))


def texts(driver, selector):
    """The text of every element `selector` finds, read in one go so a page changing meanwhile cannot leave a stale element."""
    return driver.execute_script("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent)", selector)


def current_stage(driver):
    current = texts(driver, ".stage-path li.current")
    return current[0].split()[0] if current else None


def csp_violations(driver):
    return [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]


driver = browser()
leader = None
wait = WebDriverWait(driver, 10)
try:
    driver.get(base_url + "/")
    check(driver.current_url.endswith("/sign-in"), "an unsigned visit lands on the sign-in page")
    accessible(driver, "the sign-in page")
    shot(driver, "1-sign-in")
    sign_in(driver, COMMANDER)
    check(driver.find_element(By.CSS_SELECTOR, ".sign-out strong").text == "chen.wei", "signed in as chen.wei")

    # The live list may replace a row at any moment: rows are read in one go, never held.
    check([text.strip() for text in texts(driver, "#incident-1 td:nth-child(2) a")] == [summary.strip()],
          "the incident list shows the summary as text, markup and all")
    no_dialog(driver, "the incident list")
    accessible(driver, "the incident list")

    driver.execute_script("window.tocsinMarker = 'still the same page'")
    alert = {"source": "prometheus", "dedup_key": "wallets", "summary": live_summary, "service": "payments-core",
             "labels": {"urgency": "high"}, "status": "firing"}
    check(api("POST", "/api/v1/alerts", MONITORING, alert) == 202, "a second alert posted through the API")
    wait.until(expected_conditions.presence_of_element_located((By.ID, "incident-3")))
    check([text.strip() for text in texts(driver, "#incident-3 td:nth-child(2) a")] == [live_summary.strip()],
          "the new incident appeared live, its summary as text")
    check(driver.execute_script("return window.tocsinMarker") == "still the same page", "the new incident appeared without a reload")
    check([text.strip() for text in texts(driver, "#open-count")] == ["3"], "the open count follows")
    no_dialog(driver, "the live incident list")
    shot(driver, "2-incidents-live")

    follow(driver, driver.find_element(By.CSS_SELECTOR, "#incident-1 td:nth-child(2) a"))
    wait.until(expected_conditions.presence_of_element_located((By.ID, "timeline")))
    check(summary.strip() in driver.find_element(By.TAG_NAME, "h1").text, "the incident page's heading shows the summary as text")
    labels = [element.text for element in driver.find_elements(By.CSS_SELECTOR, ".labels code")]
    check("team=" + label_value in labels, "the label's markup is shown as text")
    check(len(driver.find_elements(By.CSS_SELECTOR, "main img, main svg")) == 0, "no element came from the alert's markup")
    no_dialog(driver, "the incident page")
    check(current_stage(driver) == "reported", "the stage path marks reported")
    accessible(driver, "the incident page")
    shot(driver, "3-incident")

    follow(driver, driver.find_element(By.CSS_SELECTOR, "form[data-key=ack] button"))
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".ack.yes")))
    check("Acknowledged by chen.wei" in driver.find_element(By.CSS_SELECTOR, ".ack.yes").text, "the acknowledgement shows on the page")
    kinds = [element.text for element in driver.find_elements(By.CSS_SELECTOR, "#timeline .by-person .kind")]
    check("acknowledged" in kinds, "the acknowledgement stands out on the timeline")

    driver.execute_script("window.tocsinMarker = 'still the same page'")
    check(api("POST", "/api/v1/incidents/1/note", COMMANDER, {"text": note}) == 200, "a note carrying markup posted through the API")
    wait.until(lambda d: note in texts(d, "#timeline dd"))
    check(driver.execute_script("return window.tocsinMarker") == "still the same page", "the note appeared live, without a reload, its text as typed")
    no_dialog(driver, "the live timeline")
    shot(driver, "4-acknowledged-live")

    follow(driver, driver.find_element(By.CSS_SELECTOR, "form[data-key='advance:assessing'] button"))
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[data-key='advance:recovering']")))
    check(current_stage(driver) == "assessing", "moved to assessing")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form[data-key='advance:recovering'] button"))
    refusal = wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[data-key='advance:recovering'] .refusal")))
    check("record the assessment" in refusal.text, "the refused advance shows the procedure's reason beside its form")
    check(current_stage(driver) == "assessing", "the refused advance left the stage")
    accessible(driver, "a refused command")
    shot(driver, "5-refused")

    assess = driver.find_element(By.CSS_SELECTOR, "form[data-key=assess]")
    assess.find_element(By.NAME, "scope").send_keys("all card and wallet payments")
    assess.find_element(By.NAME, "spread").send_keys("every region")
    assess.find_element(By.NAME, "all_business_affected").click()
    follow(driver, assess.find_element(By.CSS_SELECTOR, "button"))
    proposal = wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[data-key=stop-trading] button")))
    check(any("stop trading first" in text for text in texts(driver, ".gate-missing li")), "the gate asks to stop trading first")
    follow(driver, proposal)
    wait.until(lambda d: "stop trading proposed" in texts(d, "#timeline .kind"))
    check(not driver.find_elements(By.CSS_SELECTOR, "form[data-key=approve-stop-trading]"), "the commander is not offered the approval")
    driver.execute_script("window.tocsinMarker = 'still the same page'")

    leader = browser()
    sign_in(leader, LEADER)
    leader.get(base_url + "/incidents/1")
    approve = WebDriverWait(leader, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[data-key=approve-stop-trading]")))
    check("chen.wei proposes to stop all trading." in approve.text, "a second person, in a second session, sees the proposal")
    follow(leader, approve.find_element(By.CSS_SELECTOR, "button"))
    WebDriverWait(leader, 10).until(lambda d: current_stage(d) == "trading_stopped")
    check(True, "the second person's approval stopped trading")
    shot(leader, "6-second-session-approved")

    wait.until(lambda d: "stop trading approved" in texts(d, "#timeline .kind"))
    check(driver.execute_script("return window.tocsinMarker") == "still the same page", "the approval reached the commander's timeline without a reload")
    check("page queued" not in texts(driver, "#timeline > li.event .kind"), "page deliveries arriving live are folded, as on the server")
    check(texts(driver, "#stage-moved a") == ["Reload for the stage and what you can do now"], "the page says its stage is out of date")
    shot(driver, "7-commander-live")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "#stage-moved a"))
    check(current_stage(driver) == "trading_stopped", "the commander's page shows trading stopped")

    driver.get(base_url + "/on-call")
    check(driver.find_element(By.TAG_NAME, "h1").text == "On call", "the on-call page")
    accessible(driver, "the on-call page")
    silence = driver.find_element(By.CSS_SELECTOR, "form[data-key=silence]")
    silence.find_element(By.NAME, "matchers").send_keys("service=wallets")
    silence.find_element(By.NAME, "comment").send_keys(note)
    follow(driver, silence.find_element(By.CSS_SELECTOR, "button"))
    made = wait.until(expected_conditions.presence_of_element_located((By.ID, "silence-1")))
    check(made.find_element(By.CSS_SELECTOR, "td:nth-child(3)").text == note, "the silence's reason is shown as typed")
    no_dialog(driver, "the on-call page")
    accessible(driver, "the on-call page with a silence")
    shot(driver, "8-on-call")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form[data-key=end-silence-1] button"))
    wait.until(lambda d: not d.find_elements(By.ID, "silence-1"))
    check(True, "the silence was ended from its form")

    driver.get(base_url + "/review")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Review", "the review page")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) >= 1, "the review page draws its charts")
    accessible(driver, "the review page")
    shot(driver, "9-review")

    driver.get(base_url + "/incidents/2")
    older = wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#timeline-older a")))
    last = int(driver.find_element(By.ID, "timeline").get_attribute("data-last"))
    shown = driver.execute_script("return Array.from(document.querySelectorAll('#timeline li[id^=event-]')).map(e => +e.id.slice(6))")
    check(shown == list(range(last - 199, last + 1)), f"a long timeline shows its latest 200 entries of {last}")
    driver.execute_script("window.tocsinMarker = 'still the same page'")
    older.click()
    wait.until(expected_conditions.presence_of_element_located((By.ID, "event-1")))
    shown = driver.execute_script("return Array.from(document.querySelectorAll('#timeline li[id^=event-]')).map(e => +e.id.slice(6))")
    check(shown == list(range(1, last + 1)), "the older entries came in place, above the latest, in order")
    check(driver.execute_script("return window.tocsinMarker") == "still the same page", "older entries loaded without leaving the page")
    check(not driver.find_elements(By.ID, "timeline-older"), "no older link once the first entry is shown")
    check(api("POST", "/api/v1/incidents/2/note", COMMANDER, {"text": "Settlement resent " + note}) == 200, "a note posted on the long incident")
    wait.until(lambda d: "Settlement resent " + note in texts(d, "#timeline > li:last-child dd"))
    check(True, "the note arrived live at the end of the timeline after older entries were loaded")
    no_dialog(driver, "a long timeline")
    accessible(driver, "a long timeline with its older entries loaded")
    shot(driver, "10-older-entries")

    violations = csp_violations(driver) + csp_violations(leader)
    check(not violations, "no Content-Security-Policy violation: " + "; ".join(violations))
except Exception:
    for entry in driver.get_log("browser"):
        print("browser:", entry["message"], flush=True)
    raise
finally:
    if leader is not None:
        leader.quit()
    driver.quit()
