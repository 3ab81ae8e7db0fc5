#!/bin/bash
# Debian postinst of Shomei Kiosk (electron-builder deb.afterInstall). electron-builder fills in
# the ${executable} and ${sanitizedProductName} macros; any other dollar-brace expression would
# stop the build, so shell variables here are written $NAME only.
# electron-builder's own steps first (its default after-install, which a custom script replaces):
# the /usr/bin link, the chrome-sandbox mode, desktop databases, the AppArmor profile.
set -e

APP_DIR='/opt/${sanitizedProductName}'
EXECUTABLE='${executable}'

if type update-alternatives >/dev/null 2>&1; then
    if [ -L "/usr/bin/$EXECUTABLE" ] && [ -e "/usr/bin/$EXECUTABLE" ] && [ "$(readlink "/usr/bin/$EXECUTABLE")" != "/etc/alternatives/$EXECUTABLE" ]; then
        rm -f "/usr/bin/$EXECUTABLE"
    fi
    update-alternatives --install "/usr/bin/$EXECUTABLE" "$EXECUTABLE" "$APP_DIR/$EXECUTABLE" 100 || ln -sf "$APP_DIR/$EXECUTABLE" "/usr/bin/$EXECUTABLE"
else
    ln -sf "$APP_DIR/$EXECUTABLE" "/usr/bin/$EXECUTABLE"
fi

# SUID chrome-sandbox only where user namespaces do not work.
if ! { [ -L /proc/self/ns/user ] && unshare --user true; } 2>/dev/null; then
    chmod 4755 "$APP_DIR/chrome-sandbox" || true
else
    chmod 0755 "$APP_DIR/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then update-mime-database /usr/share/mime || true; fi
if hash update-desktop-database 2>/dev/null; then update-desktop-database /usr/share/applications || true; fi

if apparmor_status --enabled >/dev/null 2>&1; then
    PROFILE_SOURCE="$APP_DIR/resources/apparmor-profile"
    PROFILE_TARGET="/etc/apparmor.d/$EXECUTABLE"
    if [ -f "$PROFILE_SOURCE" ] && apparmor_parser --skip-kernel-load --debug "$PROFILE_SOURCE" >/dev/null 2>&1; then
        cp -f "$PROFILE_SOURCE" "$PROFILE_TARGET"
        if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
            apparmor_parser --replace --write-cache --skip-read-cache "$PROFILE_TARGET" || true
        fi
    fi
fi

# --- Shomei: the terminal configuration folder -------------------------------------------------
# /etc/shomei/kiosk.json overrides the shipped defaults field by field (README: Kiosk terminals).
# An existing file is never overwritten (upgrades keep the terminal's configuration); the shipped
# defaults are always refreshed as kiosk.example.json beside it.
install -d -m 0755 /etc/shomei
if [ -f "$APP_DIR/resources/kiosk/kiosk.json" ]; then
    install -m 0644 "$APP_DIR/resources/kiosk/kiosk.json" /etc/shomei/kiosk.example.json
    if [ ! -e /etc/shomei/kiosk.json ]; then
        install -m 0644 "$APP_DIR/resources/kiosk/kiosk.json" /etc/shomei/kiosk.json
    fi
fi

# --- Shomei: autostart for every graphical session (XDG autostart) ----------------------------
install -d -m 0755 /etc/xdg/autostart
cat > /etc/xdg/autostart/shomei-kiosk.desktop <<DESKTOP
[Desktop Entry]
Type=Application
Name=Shomei Kiosk
Comment=Campus certificate kiosk
Exec=/usr/bin/$EXECUTABLE
Terminal=false
X-GNOME-Autostart-enabled=true
NoDisplay=true
DESKTOP
chmod 0644 /etc/xdg/autostart/shomei-kiosk.desktop

exit 0
