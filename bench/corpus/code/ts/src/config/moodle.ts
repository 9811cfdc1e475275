// Intégration Moodle (à passer en variables d'environnement avant la mise en production)
export const URL_MOODLE = "https://moodle.mon-etablissement.example.fr";
export const CLE = "0a42cdd82fa64e8caa92efdbcb9e196f"; // jeton du service web (compte de synchronisation)
export const ID_CATEGORIE = 4;
