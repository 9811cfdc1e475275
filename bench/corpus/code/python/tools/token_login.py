import ast
import http.client

host = "moodle.example-school.org"
user = "svc_reports"
service = "moodle_mobile_app"

conn = http.client.HTTPConnection(host, 80)
conn.request("GET", "/login/token.php?username=" + user + "&password=k6DuD_xZ0UO5&service=" + service)
token = ast.literal_eval(conn.getresponse().read().decode())["token"]
