      *================================================================*
      * NOTASCFG - PARAMETROS DE LA INTERFAZ CON MOODLE                *
      *================================================================*
       01  NOTAS-MOODLE-CFG.
           05  MDL-URL             PIC X(60)
               VALUE 'https://aulavirtual.example.edu.pe'.
           05  MDL-WSTOKEN         PIC X(32)
               VALUE '278a4e6dac17674f3bc4294e9357fc22'.
           05  MDL-FUNCION         PIC X(40)
               VALUE 'core_grades_update_grades'.
