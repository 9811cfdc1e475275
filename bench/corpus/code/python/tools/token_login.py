import ast
import http.client

host = "moodle.example-school.org"
user = "svc_reports"
service = "moodle_mobile_app"

conn = http.client.HTTPConnection(host, 80)
conn.request("GET", "/login/token.php?username=" + user + "&password=Zjmk1-khkf7p&service=" + service)
token = ast.literal_eval(conn.getresponse().read().decode())["token"]
