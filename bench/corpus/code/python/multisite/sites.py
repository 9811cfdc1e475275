# Nightly enrolment check across the three campus sites.
import requests

MOODLE_SITES = [
    ("https://campus-a.example.edu", "90d86bc5010780e24a5566bf446ddd16"),
    ("https://campus-b.example.edu", "56428bd5524b61522a091df9d638657e"),
    ("https://campus-c.example.edu", "b8d2e93f68529c518806f41917148f96"),
]


def enrolled(site, token, courseid):
    r = requests.get(
        f"{site}/webservice/rest/server.php",
        params={"wstoken": token, "wsfunction": "core_enrol_get_enrolled_users",
                "moodlewsrestformat": "json", "courseid": courseid},
        timeout=20,
    )
    return r.json()


if __name__ == "__main__":
    for url, token in MOODLE_SITES:
        print(url, len(enrolled(url, token, 2)))
