import requests
import sentry_sdk

sentry_sdk.init("https://80a42de50d84a6ddff667d2d16c820d7@o123456.ingest.sentry.io/4504")

ENDPOINT = "https://lms.example.edu/webservice/rest/server.php"


def call(fn, token, **params):
    params.update(wstoken=token, wsfunction=fn, moodlewsrestformat="json")
    return requests.post(ENDPOINT, data=params, timeout=30).json()
