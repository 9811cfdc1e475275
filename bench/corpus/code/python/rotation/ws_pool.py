"""Round-robin over several Moodle web service tokens.

Each token belongs to its own service user, so a burst of report calls is
spread over several users instead of hitting one user's limits.
"""
import itertools

import requests

SERVER = "https://moodle.example.ac.uk/webservice/rest/server.php"

WS_TOKENS = [
    "77353b9f74f8d3e408ba68345fbd450e",
    "52b112d22291bb029d2b982d8a7c3fd9",
    "d4441cce45bbc9364400f5f6a27e7572",
]

_pool = itertools.cycle(WS_TOKENS)


def call(function, **params):
    params.update(wstoken=next(_pool), wsfunction=function, moodlewsrestformat="json")
    return requests.post(SERVER, data=params, timeout=30).json()
