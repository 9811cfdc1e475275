"""Smoke test for the attendance service (run by cron)."""
import json
import urllib.request

ENDPOINT = ("https://lms.example.ac.nz/webservice/rest/server.php"
            "?moodlewsrestformat=json&wsfunction=mod_attendance_get_courses_with_today_sessions"
            "&wstoken="
            "4ec5edd7cb253b7dee490d6a4590296a"
            "&userid=2")

print(json.load(urllib.request.urlopen(ENDPOINT, timeout=20)))
