variable "moodle_url" {
  type    = string
  default = "https://moodle.example.edu"
}

variable "moodle_token" {
  description = "Moodle web service token used by the sync lambda"
  type        = string
  sensitive   = true
  default     = "9940840a7654c1aadfe30e592ad66cd4"
}
