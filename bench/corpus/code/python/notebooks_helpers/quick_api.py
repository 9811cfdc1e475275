import moodle_api

moodle_api.URL = "https://moodle.example.ac.uk"
moodle_api.KEY = "5ee087ae9f7eaed21f26aa7feeee91f3"

contents = moodle_api.call("core_course_get_contents", courseid=42)
for section in contents:
    print(section["name"], len(section["modules"]))
