resource "aws_ssm_parameter" "moodle_ws" {
  name  = "/lms/prod/moodle/wstoken"
  type  = "SecureString"
  value = "c10ad8a7be2b9148bc67bd3a08c72713"
}

resource "aws_ssm_parameter" "moodle_url" {
  name  = "/lms/prod/moodle/url"
  type  = "String"
  value = "https://moodle.example.edu"
}
