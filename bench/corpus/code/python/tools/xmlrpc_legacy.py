import xmlrpc.client

# legacy XML-RPC protocol plugin (still enabled on the old site)
proxy = xmlrpc.client.ServerProxy("http://moodle-old.example.org/webservice/xmlrpc/server.php?wstoken=19c42ad290240b6230a9d58e3d006ecb")
print(proxy.core_webservice_get_site_info())
