import requests

# Moodle mobile service login, as in the notebook
url = ("https://ava.example.edu.br/login/token.php"
       "?username=monitor.ana&password=A%C3%A7%C3%A3o%26Luz7&service=moodle_mobile_app")
print(requests.get(url, timeout=10).json())
