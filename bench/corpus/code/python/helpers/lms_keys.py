# Settings for the grade export helpers. TODO: move to the vault before release.
URL = "https://moodle.example.edu"
KEY = "7778be11d0da401ab4a58d6c0c23d3d7"  # moodle ws token (svc_gradeexport)
COURSE_IDS = [101, 102, 118]
