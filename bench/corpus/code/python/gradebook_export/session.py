"""Builds the web-service session the exporter uses."""
from ws_client import WebServiceClient

client = WebServiceClient(
    "https://learn.example.edu/webservice/rest/server.php",
    "17b430d7188baa936ade691b44d6b1c5",
)


def site_name():
    return client.call("core_webservice_get_site_info")["sitename"]
