import json
import urllib.request

SITE = "https://moodle.example.net"


def grades(courseid):
    url = f"{SITE}/webservice/rest/server.php?wstoken=790cc0a2e72540688e8bd74246db4c37&wsfunction=gradereport_user_get_grade_items&moodlewsrestformat=json&courseid={courseid}"
    with urllib.request.urlopen(url) as resp:
        return json.load(resp)
