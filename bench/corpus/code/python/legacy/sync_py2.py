# -*- coding: utf-8 -*-
import urllib2

SITE = "https://campus.example.ac.uk"
k = "da33c193470cae65a2fe90f75989a702"

def call(fn):
    url = "%s/webservice/rest/server.php?wstoken=%s&wsfunction=%s" % (SITE, k, fn)
    return urllib2.urlopen(url).read()
