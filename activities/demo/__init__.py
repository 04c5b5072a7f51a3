"""The 2016 INTERPOL–UNODC demo data set (`data`) and the service that writes it (`loader`)."""
