Feature: Login to obtain a token

  Scenario: login/token.php
    Given url 'https://qa.example.com/moodle/login/token.php?username=pf40001&password=WJGv9_vb2Tig&service=moodle_mobile_app'
    When method post
    Then status 200
    And match response.token != null
