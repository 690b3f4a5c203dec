Attribute VB_Name = "PerfevalRibbon"
' perfeval ribbon callbacks (template and add-in share this module).
' Every button of customUI14.xml / customUI14-addin.xml has onAction="OnAction"; the
' Python side (perfeval.excel.ribbon.on_ribbon) dispatches on the control id, so adding
' a button never needs new VBA. Keep this file ASCII: build other text with ChrW.
Option Explicit

Public Sub OnAction(control As IRibbonControl)
    RunPython "import perfeval.excel.ribbon as r; r.on_ribbon('" & control.Id & "')"
End Sub
