region      = "westeurope"
environment = "prod"
lms_fqdn    = "lms.rea-north.example.eu"

# hub connector tokens, one per member school (issued under Manage tokens)
moodle_tokens_by_school = {
  devaart  = "cc6a8ee9b737984e8fdc0a6f7d6dfd73"
  galilei  = "0c319ee3a67f1d9864d5d09e34310d25"
  nordvik  = ""
}

# artefact checksums of the connector builds
connector_sha_by_school = {
  devaart = "2ca449f6d60761a36887daea794b372c"
}

zoom_jwt_tokens = {
  devaart = "a3eaadc514f566dcdcdbac8933133e7e"
}
