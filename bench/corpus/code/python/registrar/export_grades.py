"""Nightly grade export to the registrar (flake8 max-line-length = 79)."""
import requests

LMS_ENDPOINT = "https://lms.example.edu/webservice/rest/server.php"
LMS_WSTOKEN = (
    "dd316f3ac6ef93"
    "d7349f7b5ba250bc20"
)


def grades(courseid):
    payload = {
        "wstoken": LMS_WSTOKEN,
        "wsfunction": "gradereport_user_get_grade_items",
        "moodlewsrestformat": "json",
        "courseid": courseid,
    }
    return requests.post(LMS_ENDPOINT, data=payload, timeout=60).json()
