FUNCTION_KEY = "wsfunction"
TOKEN_KEY = "wstoken"
FORMAT_KEY = "moodlewsrestformat"


def base_params(function):
    params = {}
    params[FUNCTION_KEY] = function
    params[TOKEN_KEY] = "d61e9bbdc7679e5b2c223b4f3cf909ae"
    params[FORMAT_KEY] = "json"
    return params
