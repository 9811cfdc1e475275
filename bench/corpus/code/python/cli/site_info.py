from moodle import Moodle

moodle = Moodle("https://lms.example.org/webservice/rest/server.php", "55dd49c6958c7d7f695148b2bba345ad")

info = moodle.core.webservice.get_site_info()
print(info.sitename, info.release)
