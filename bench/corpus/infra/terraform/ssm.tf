resource "aws_ssm_parameter" "moodle_ws" {
  name  = "/lms/prod/moodle/wstoken"
  type  = "SecureString"
  value = "2f822dc057c6c8426d87540773c6be6d"
}

resource "aws_ssm_parameter" "moodle_url" {
  name  = "/lms/prod/moodle/url"
  type  = "String"
  value = "https://moodle.example.edu"
}
