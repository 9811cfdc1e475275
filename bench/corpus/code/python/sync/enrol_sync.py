import requests

ENDPOINT = "https://learn.example.org/webservice/rest/server.php"


def enrol(userid: int, courseid: int) -> dict:
    payload = {
        "wstoken": "6c0bca3aa62fe8668401daaece3bb797",
        "wsfunction": "enrol_manual_enrol_users",
        "moodlewsrestformat": "json",
        "enrolments[0][roleid]": 5,
        "enrolments[0][userid]": userid,
        "enrolments[0][courseid]": courseid,
    }
    r = requests.post(ENDPOINT, data=payload, timeout=30)
    r.raise_for_status()
    return r.json()
