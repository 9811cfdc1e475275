from zeep import Client

# Moodle SOAP protocol: the token travels in the WSDL URL
WSDL = "https://moodle.example.org/webservice/soap/server.php?wsdl=1&wstoken=6de8d8e91b4ca674efee03a24de40ea6"

client = Client(WSDL)
info = client.service.core_webservice_get_site_info()
print(info.sitename)
