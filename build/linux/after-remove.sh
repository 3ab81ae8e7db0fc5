#!/bin/bash
# Debian postrm of Shomei Kiosk (electron-builder deb.afterRemove); $1 is remove, purge, upgrade…
# electron-builder fills in the ${executable} macro; shell variables are written $NAME only.
EXECUTABLE='${executable}'
APP_DIR='/opt/${sanitizedProductName}'

case "$1" in
    remove|purge)
        if type update-alternatives >/dev/null 2>&1; then
            update-alternatives --remove "$EXECUTABLE" "$APP_DIR/$EXECUTABLE" || true
        else
            rm -f "/usr/bin/$EXECUTABLE"
        fi
        rm -f /etc/xdg/autostart/shomei-kiosk.desktop
        if [ -f "/etc/apparmor.d/$EXECUTABLE" ]; then
            if apparmor_status --enabled >/dev/null 2>&1 && hash apparmor_parser 2>/dev/null; then
                apparmor_parser --remove "/etc/apparmor.d/$EXECUTABLE" || true
            fi
            rm -f "/etc/apparmor.d/$EXECUTABLE"
        fi
        rm -f /etc/shomei/kiosk.example.json
        ;;
esac

# purge: the terminal configuration goes too (remove keeps /etc/shomei/kiosk.json).
if [ "$1" = "purge" ]; then
    rm -f /etc/shomei/kiosk.json
    rmdir /etc/shomei 2>/dev/null || true
fi

exit 0
