import requests

ENDPOINT = "https://learn.example.org/webservice/rest/server.php"


def enrol(userid: int, courseid: int) -> dict:
    payload = {
        "wstoken": "9486f1f59cd3bb1ca942d775050ee3f1",
        "wsfunction": "enrol_manual_enrol_users",
        "moodlewsrestformat": "json",
        "enrolments[0][roleid]": 5,
        "enrolments[0][userid]": userid,
        "enrolments[0][courseid]": courseid,
    }
    r = requests.post(ENDPOINT, data=payload, timeout=30)
    r.raise_for_status()
    return r.json()
