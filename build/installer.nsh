; Shomei Kiosk — additions to electron-builder's NSIS installer (nsis.include in electron-builder.yml).
; - A page offering autostart for all users (HKLM Run key), checked by default. Silent installs:
;   ShomeiKiosk-Setup.exe /S /allusers            autostart on
;   ShomeiKiosk-Setup.exe /S /allusers /AUTOSTART=0  autostart off
; - %ProgramData%\Shomei\ with kiosk.example.json (the shipped defaults); an existing kiosk.json is
;   never touched. Uninstalling removes the Run value (not on an update) and keeps the configuration.

!define SHOMEI_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define SHOMEI_RUN_VALUE "ShomeiKiosk"

!ifndef BUILD_UNINSTALLER
  !include "nsDialogs.nsh"
  !include "LogicLib.nsh"
  !include "FileFunc.nsh"

  Var ShomeiAutostart
  Var ShomeiAutostartBox

  Function ShomeiAutostartPage
    nsDialogs::Create 1018
    Pop $0
    ${If} $0 == error
      Abort
    ${EndIf}
    ${NSD_CreateLabel} 0 0 100% 36u "Shomei Kiosk を Windows の起動時に自動で開始できます（すべてのユーザー）。$\r$\nShomei Kiosk can start automatically when any user signs in to Windows."
    Pop $0
    ${NSD_CreateCheckbox} 0 44u 100% 24u "自動起動する / Start automatically (all users)"
    Pop $ShomeiAutostartBox
    ${If} $ShomeiAutostart == "1"
      ${NSD_Check} $ShomeiAutostartBox
    ${EndIf}
    nsDialogs::Show
  FunctionEnd

  Function ShomeiAutostartLeave
    ${NSD_GetState} $ShomeiAutostartBox $0
    ${If} $0 == ${BST_CHECKED}
      StrCpy $ShomeiAutostart "1"
    ${Else}
      StrCpy $ShomeiAutostart "0"
    ${EndIf}
  FunctionEnd
!endif

!macro customInit
  StrCpy $ShomeiAutostart "1"
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART=" $R1
  ${IfNot} ${Errors}
    ${If} $R1 == "0"
      StrCpy $ShomeiAutostart "0"
    ${EndIf}
  ${EndIf}
!macroend

!macro customPageAfterChangeDir
  Page custom ShomeiAutostartPage ShomeiAutostartLeave
!macroend

!macro customInstall
  ${If} $ShomeiAutostart == "1"
    WriteRegStr HKLM "${SHOMEI_RUN_KEY}" "${SHOMEI_RUN_VALUE}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}"'
  ${Else}
    DeleteRegValue HKLM "${SHOMEI_RUN_KEY}" "${SHOMEI_RUN_VALUE}"
  ${EndIf}
  CreateDirectory "$COMMONAPPDATA\Shomei"
  CopyFiles /SILENT "$INSTDIR\resources\kiosk\kiosk.json" "$COMMONAPPDATA\Shomei\kiosk.example.json"
!macroend

!macro customUnInstall
  ${IfNot} ${isUpdated}
    DeleteRegValue HKLM "${SHOMEI_RUN_KEY}" "${SHOMEI_RUN_VALUE}"
  ${EndIf}
!macroend
