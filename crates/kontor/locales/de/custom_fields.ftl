# Texts of the custom_fields module.

# Benutzerdefinierte Felder
nav-custom-fields = Eigene Felder
action-new-field = Neues Feld
confirm-delete-field = Dieses Feld und alle darin gespeicherten Werte löschen?
cf-kind = Datensatzart
cf-label = Bezeichnung
cf-key = Schlüssel
cf-type = Typ
cf-options = Optionen
cf-none = Noch keine eigenen Felder.
cf-choices = Auswahlwerte
cf-choices-help = Ein Wert pro Zeile (für Auswahl und Mehrfachauswahl).
cf-order = Reihenfolge
error-option = Bitte wählen Sie einen der angebotenen Werte.
error-admin-only = Nur Administratoren dürfen dieses Feld ändern.
error-unknown-field = Dieses eigene Feld gibt es nicht.
error-key = Ein Schlüssel besteht aus Kleinbuchstaben, Ziffern und Unterstrichen (höchstens 40).
error-key-taken = Dieser Schlüssel ist für diese Datensatzart schon vergeben.
error-duplicate-option = Jeder Auswahlwert darf nur einmal vorkommen.
error-options-required = Auswahlfelder brauchen mindestens einen Wert.
error-portal-editable = Im Portal bearbeitbar geht nur, wenn das Feld dort sichtbar ist.
error-kind-fixed = Die Datensatzart eines Feldes kann nicht geändert werden.
error-type-in-use = Der Typ kann nicht geändert werden, solange Datensätze Werte in diesem Feld haben.
settings-hint-custom-fields = Zusätzliche Felder für Kunden und Kontakte
