resource "kubernetes_secret" "lms_runtime" {
  metadata {
    name      = "lms-runtime"
    namespace = "lms"
  }

  type = "Opaque"

  data = {
    moodleWsToken = "9ad49227816641e594cf54faae16a358"
    moodleUrl     = "https://moodle.example.edu"
  }
}
