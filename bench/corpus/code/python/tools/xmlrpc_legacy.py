import xmlrpc.client

# legacy XML-RPC protocol plugin (still enabled on the old site)
proxy = xmlrpc.client.ServerProxy("http://moodle-old.example.org/webservice/xmlrpc/server.php?wstoken=248ead0319b34b7c5955b283a6b8ef94")
print(proxy.core_webservice_get_site_info())
