variable "moodle_url" {
  type    = string
  default = "https://moodle.example.edu"
}

variable "moodle_token" {
  description = "Moodle web service token used by the sync lambda"
  type        = string
  sensitive   = true
  default     = "2ffab8052d053fc381ac51c4576d4797"
}
