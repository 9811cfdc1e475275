# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/kubernetes" {
  version     = "2.23.0"
  constraints = "~> 2.23"
  hashes = [
    "h1:YjI5ZmRlYWY5NjNjNzYwNjk0ZDkyMTNlMzZlZWZmMTU=",
    "zh:3517839a18b397642401a8f4bdd0fba92a20db1da4bf4a3567c9d10f346ce0b2",
    "zh:16845e5f683b00f64954429f29f3f104364ef282e3e744229e65e71a505ee660",
  ]
}
