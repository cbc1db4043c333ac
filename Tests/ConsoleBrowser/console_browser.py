"""Tocsin's incident console in a real browser: Debian's chromium, driven through
chromium-driver by PyPI's selenium. Run by ConsoleBrowserTests with a daemon that has
incident 1 open, its alert summary and labels carrying script and markup payloads.

Arguments: BASE_URL PERSON_TOKEN SCREENSHOT_FOLDER SUMMARY LABEL_VALUE
Prints one `OK ...` line per check and exits 0, or prints `FAIL ...` and exits 1.
"""
import json
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

base_url, token, shots, summary, label_value = sys.argv[1:6]


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
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, max(900, min(height + 120, 4000)))
    driver.save_screenshot(os.path.join(shots, name + ".png"))


def api(method, path, body=None):
    request = urllib.request.Request(base_url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("TOCSIN_CHROMIUM", "/usr/bin/chromium")
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,900"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(os.environ.get("TOCSIN_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 10)
try:
    driver.get(base_url + "/")
    check(driver.current_url.endswith("/sign-in"), "an unsigned visit lands on the sign-in page")
    shot(driver, "1-sign-in")
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "form.sign-in button").click()
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.incidents")))
    check(driver.find_element(By.CSS_SELECTOR, ".sign-out strong").text == "chen.wei", "signed in as chen.wei")

    link = driver.find_element(By.CSS_SELECTOR, "table.incidents tbody tr td:nth-child(2) a")
    check(link.text == summary.strip(), "the incident list shows the summary as text, markup and all")
    no_dialog(driver, "the incident list")
    shot(driver, "2-incidents")

    link.click()
    wait.until(expected_conditions.presence_of_element_located((By.ID, "timeline")))
    check(summary.strip() in driver.find_element(By.TAG_NAME, "h1").text, "the incident page's heading shows the summary as text")
    labels = [element.text for element in driver.find_elements(By.CSS_SELECTOR, ".labels code")]
    check("team=" + label_value in labels, "the label's markup is shown as text")
    check(len(driver.find_elements(By.CSS_SELECTOR, "main img")) == 0, "no element came from the label's markup")
    no_dialog(driver, "the incident page")
    check(driver.find_element(By.CSS_SELECTOR, ".stage-path li.current").text == "reported", "the stage path marks reported")
    shot(driver, "3-incident")

    driver.find_element(By.CSS_SELECTOR, "form[data-key=ack] button").click()
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".ack.yes")))
    check("Acknowledged by chen.wei" in driver.find_element(By.CSS_SELECTOR, ".ack.yes").text, "the acknowledgement shows on the page")
    kinds = [element.text for element in driver.find_elements(By.CSS_SELECTOR, "#timeline .by-person .kind")]
    check("acknowledged" in kinds, "the acknowledgement stands out on the timeline")

    driver.execute_script("window.tocsinMarker = 'still the same page'")
    check(api("POST", "/api/v1/incidents/1/note", {"text": "Acquirer confirms <b>timeouts</b>"}) == 200, "a note posted through the API")
    wait.until(lambda d: any("Acquirer confirms <b>timeouts</b>" in e.text for e in d.find_elements(By.CSS_SELECTOR, "#timeline dd")))
    check(driver.execute_script("return window.tocsinMarker") == "still the same page", "the note appeared live, without a reload")
    no_dialog(driver, "the live timeline")
    shot(driver, "4-acknowledged-live")

    driver.find_element(By.CSS_SELECTOR, "form[data-key='advance:assessing'] button").click()
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[data-key='advance:recovering']")))
    check(driver.find_element(By.CSS_SELECTOR, ".stage-path li.current").text == "assessing", "moved to assessing")
    driver.find_element(By.CSS_SELECTOR, "form[data-key='advance:recovering'] button").click()
    refusal = wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[data-key='advance:recovering'] .refusal")))
    check("record the assessment" in refusal.text, "the refused advance shows the procedure's reason beside its form")
    check(driver.find_element(By.CSS_SELECTOR, ".stage-path li.current").text == "assessing", "the refused advance left the stage")
    shot(driver, "5-refused")

    violations = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
    check(not violations, "no Content-Security-Policy violation: " + "; ".join(violations))
finally:
    driver.quit()
