import requests

base_url = "https://elearn.example.com"


def fetch_courses(userid):
    return requests.get(
        base_url + '/webservice/rest/server.php' + '?wstoken=' + 'dd6ec0f4857bfb5212449567ee98d0fc'
        + '&wsfunction=' + 'core_enrol_get_users_courses'
        + '&moodlewsrestformat=json' + '&userid=' + str(userid))
