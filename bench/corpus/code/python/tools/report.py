import json
import urllib.request

SITE = "https://moodle.example.net"


def grades(courseid):
    url = f"{SITE}/webservice/rest/server.php?wstoken=8eebbbc139bf0e899159677c20bb6688&wsfunction=gradereport_user_get_grade_items&moodlewsrestformat=json&courseid={courseid}"
    with urllib.request.urlopen(url) as resp:
        return json.load(resp)
