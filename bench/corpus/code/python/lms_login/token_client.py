"""Fetch a mobile-service token for the exam kiosk account."""
import requests

SITE = "https://lms.example-college.ac.uk"


def kiosk_token():
    payload = {
        "username": "exam_kiosk04",
        "password": "Gannet!8841zq",
        "service": "moodle_mobile_app",
    }
    r = requests.post(f"{SITE}/login/token.php", data=payload, timeout=15)
    r.raise_for_status()
    return r.json()["token"]


def teacher_token(user, password):
    # the caller passes the password; nothing hard-coded here
    r = requests.post(SITE + "/login/token.php",
                      data={"username": user, "password": password, "service": "moodle_mobile_app"})
    return r.json().get("token")
