Feature: Moodle services enabled for the QA site

  Scenario: Use a token to call a Moodle web service
    Given url 'https://qa.example.com/moodle/webservice/rest/server.php'
    And header Content-Type = 'application/x-www-form-urlencoded'
    And param wsfunction = 'block_recentlyaccesseditems_get_recent_items'
    And param wstoken = '9fd3bee3e362ce3ac25fdc54e39fada3'
    And param moodlewsrestformat = 'json'
    When method post
    Then status 200
