package de.schule.lms

object Konstanten {
    const val BASIS_URL = "https://lernen.example-schule.de"
    const val SCHLUESSEL = "9d21922093e34bc044bc0b863711b135" // Webservice-Token für Moodle (Dienstkonto Vertretungsplan)
    const val FORMAT = "json"
}
