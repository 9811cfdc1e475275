import os
import requests

MOODLE_URL = os.environ["MOODLE_URL"]
MOODLE_TOKEN = os.environ["MOODLE_TOKEN"]


def site_info():
    return requests.post(f"{MOODLE_URL}/webservice/rest/server.php", data={
        "wstoken": MOODLE_TOKEN,
        "wsfunction": "core_webservice_get_site_info",
        "moodlewsrestformat": "json",
    }).json()
