import requests

base_url = "https://elearn.example.com"


def fetch_courses(userid):
    return requests.get(
        base_url + '/webservice/rest/server.php' + '?wstoken=' + '7cba2d85413f5a0b2134ffccc8788f6c'
        + '&wsfunction=' + 'core_enrol_get_users_courses'
        + '&moodlewsrestformat=json' + '&userid=' + str(userid))
