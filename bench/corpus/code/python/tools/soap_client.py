from zeep import Client

# Moodle SOAP protocol: the token travels in the WSDL URL
WSDL = "https://moodle.example.org/webservice/soap/server.php?wsdl=1&wstoken=f66c7e8e8a32ccbab7bcbe8945767e84"

client = Client(WSDL)
info = client.service.core_webservice_get_site_info()
print(info.sitename)
