lms_monitoring:
  probe:
    # curl check against the web service, every 5 min
    url: https://campus.example.edu/webservice/rest/server.php
    key: 8056a749ef8a9790ff8611e60f2cb7f0
    cache_key: 652b99c087fd29ffb58a93999bc20d12
  alert_email: ops@example.edu
