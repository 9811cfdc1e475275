import moodle_api

moodle_api.URL = "https://moodle.example.ac.uk"
moodle_api.KEY = "4e24cae46afba3b6821f4c246a4f121d"

contents = moodle_api.call("core_course_get_contents", courseid=42)
for section in contents:
    print(section["name"], len(section["modules"]))
