Attribute VB_Name = "PerfevalUdfs"
' Generated from perfeval.excel.udfs by perfeval.excel.build.generate_udf_vba
' (xlwings 0.37.8 generate_vba_wrapper, for a .xlam file). Do not edit:
' run `python -m perfeval.excel.build --udfs` after changing the Python functions.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel

' When the call to Python fails (no Python, a broken xlwings setup), a wrapper returns #N/A
' instead of xlwings' error text, so the template's IFERROR shows its own formula's result;
' the reason is kept here once, for the ribbon's environment check, not shown in 60 cells.
Private lastUdfFailure As String

Function BAND(completion, Optional profile, Optional completion_format, Optional target)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BAND = XLPy.CallUDF("perfeval.excel.udfs", "BAND", Array(completion, profile, completion_format, target), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        BAND = XLPy.CallUDF("perfeval.excel.udfs", "BAND", Array(completion, profile, completion_format, target))
        Exit Function
    #End If
failed:
    BAND = PerfevalUdfFailed(Err.Description)
End Function

Function BAND_SCORE(completion_or_band, weight, Optional profile)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BAND_SCORE = XLPy.CallUDF("perfeval.excel.udfs", "BAND_SCORE", Array(completion_or_band, weight, profile), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        BAND_SCORE = XLPy.CallUDF("perfeval.excel.udfs", "BAND_SCORE", Array(completion_or_band, weight, profile))
        Exit Function
    #End If
failed:
    BAND_SCORE = PerfevalUdfFailed(Err.Description)
End Function

Function CAP(score, weight)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CAP = XLPy.CallUDF("perfeval.excel.udfs", "CAP", Array(score, weight), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CAP = XLPy.CallUDF("perfeval.excel.udfs", "CAP", Array(score, weight))
        Exit Function
    #End If
failed:
    CAP = PerfevalUdfFailed(Err.Description)
End Function

Function EXEC_RATE(actual, budget)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EXEC_RATE = XLPy.CallUDF("perfeval.excel.udfs", "EXEC_RATE", Array(actual, budget), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        EXEC_RATE = XLPy.CallUDF("perfeval.excel.udfs", "EXEC_RATE", Array(actual, budget))
        Exit Function
    #End If
failed:
    EXEC_RATE = PerfevalUdfFailed(Err.Description)
End Function

Function EXEC_SCORE(actual, budget, Optional weight, Optional profile)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EXEC_SCORE = XLPy.CallUDF("perfeval.excel.udfs", "EXEC_SCORE", Array(actual, budget, weight, profile), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        EXEC_SCORE = XLPy.CallUDF("perfeval.excel.udfs", "EXEC_SCORE", Array(actual, budget, weight, profile))
        Exit Function
    #End If
failed:
    EXEC_SCORE = PerfevalUdfFailed(Err.Description)
End Function

Function GRADE(total, Optional profile)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GRADE = XLPy.CallUDF("perfeval.excel.udfs", "GRADE", Array(total, profile), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        GRADE = XLPy.CallUDF("perfeval.excel.udfs", "GRADE", Array(total, profile))
        Exit Function
    #End If
failed:
    GRADE = PerfevalUdfFailed(Err.Description)
End Function

Function SCORE(target, actual, weight, Optional profile, Optional kind, Optional direction, Optional actual_format)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCORE = XLPy.CallUDF("perfeval.excel.udfs", "SCORE", Array(target, actual, weight, profile, kind, direction, actual_format), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SCORE = XLPy.CallUDF("perfeval.excel.udfs", "SCORE", Array(target, actual, weight, profile, kind, direction, actual_format))
        Exit Function
    #End If
failed:
    SCORE = PerfevalUdfFailed(Err.Description)
End Function

Function SCORE_TABLE(targets, actuals, weights, Optional profile, Optional kinds, Optional directions, Optional actual_formats)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCORE_TABLE = XLPy.CallUDF("perfeval.excel.udfs", "SCORE_TABLE", Array(targets, actuals, weights, profile, kinds, directions, actual_formats), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SCORE_TABLE = XLPy.CallUDF("perfeval.excel.udfs", "SCORE_TABLE", Array(targets, actuals, weights, profile, kinds, directions, actual_formats))
        Exit Function
    #End If
failed:
    SCORE_TABLE = PerfevalUdfFailed(Err.Description)
End Function

Function TARGET(text, Optional kind, Optional direction)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        TARGET = XLPy.CallUDF("perfeval.excel.udfs", "TARGET", Array(text, kind, direction), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        TARGET = XLPy.CallUDF("perfeval.excel.udfs", "TARGET", Array(text, kind, direction))
        Exit Function
    #End If
failed:
    TARGET = PerfevalUdfFailed(Err.Description)
End Function

Function TOTAL(scores, Optional deductions, Optional execution_score, Optional profile)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        TOTAL = XLPy.CallUDF("perfeval.excel.udfs", "TOTAL", Array(scores, deductions, execution_score, profile), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        TOTAL = XLPy.CallUDF("perfeval.excel.udfs", "TOTAL", Array(scores, deductions, execution_score, profile))
        Exit Function
    #End If
failed:
    TOTAL = PerfevalUdfFailed(Err.Description)
End Function

Function WAVG(values, weights)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        WAVG = XLPy.CallUDF("perfeval.excel.udfs", "WAVG", Array(values, weights), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        WAVG = XLPy.CallUDF("perfeval.excel.udfs", "WAVG", Array(values, weights))
        Exit Function
    #End If
failed:
    WAVG = PerfevalUdfFailed(Err.Description)
End Function

'--- Insert Function dialog: descriptions ---------------------------------------
' Generated from the same doc strings. xlwings' import_udfs registers them over COM
' with Application.MacroOptions; a built file has no such step, so ThisWorkbook's
' Workbook_Open calls RegisterPerfevalUdfs. Text is spelled as UTF-16 code units.
Public Sub RegisterPerfevalUdfs()
    Dim category As String, description As String
    Dim args() As Variant
    category = PerfevalText("32489 25928 33258 35780")
    description = PerfevalText("23450 24615 25351 26631 26723 27425 65306 20840 37096 25110 22522 26412 36798 25104 32 47 32 37096 20998 36798 25104 24182 20855 26377 19968 23450 25928 26524 32 47 32 26410 36798 25104 19988 25928 26524 36739 24046 12290")
    ReDim args(0 To 3)
    args(0) = PerfevalText("23450 24615 25351 26631 30340 23436 25104 27604 20363 65292 22914 32 56 53 37 32 25110 32 48 46 56 53")
    args(1) = PerfevalText("35780 20998 35268 21017 21517 31216 65292 21487 30465 30053 65288 40664 35748 21462 12300 37197 32622 12301 34920 20013 30340 35268 21017 65292 22914 32 103 97 110 115 117 45 100 101 112 97 114 116 109 101")
    args(1) = args(1) & PerfevalText("110 116 65289")
    args(2) = PerfevalText("23436 25104 20540 21333 20803 26684 30340 26684 24335 65292 21487 30465 30053 65307 22635 32 67 69 76 76 40 34 102 111 114 109 97 116 34 44 23436 25104 20540 21333 20803 26684 41 65292 30334 20998")
    args(2) = args(2) & PerfevalText("27604 26684 24335 26102 25353 30334 20998 27604 35835 21462 65288 50 52 48 37 32 21363 32 50 46 52 65289")
    args(3) = PerfevalText("24180 24230 25351 26631 20540 65288 21487 36873 65289 65306 23436 25104 20540 26159 25991 23383 26102 65292 25454 27492 21028 26029 8220 19982 25351 26631 20540 30456 21516 8221 8220 26080 8221 31561 31572 22797")
    RegisterUdf "BAND", description, category, args
    description = PerfevalText("23450 24615 25351 26631 24471 20998 65306 23436 25104 27604 20363 215 20998 20540 65288 38480 20110 32 48 65374 20998 20540 65289 65307 32473 20986 26723 27425 21517 31216 26102 36820 22238 35813 26723 26368 39640 20998 12290")
    ReDim args(0 To 2)
    args(0) = PerfevalText("23436 25104 27604 20363 65288 22914 32 56 53 37 65289 65292 25110 26723 27425 21517 31216")
    args(1) = PerfevalText("20998 20540")
    args(2) = PerfevalText("35780 20998 35268 21017 21517 31216 65292 21487 30465 30053 65288 40664 35748 21462 12300 37197 32622 12301 34920 20013 30340 35268 21017 65292 22914 32 103 97 110 115 117 45 100 101 112 97 114 116 109 101")
    args(2) = args(2) & PerfevalText("110 116 65289")
    RegisterUdf "BAND_SCORE", description, category, args
    description = PerfevalText("25226 24471 20998 38480 21046 22312 32 48 65374 20998 20540 20043 38388 12290")
    ReDim args(0 To 1)
    args(0) = PerfevalText("24471 20998")
    args(1) = PerfevalText("20998 20540")
    RegisterUdf "CAP", description, category, args
    description = PerfevalText("25191 34892 29575 32 61 32 23454 38469 25903 20986 25968 32 247 32 20840 24180 39044 31639 25968 65292 20197 23567 25968 36820 22238 65288 48 46 57 53 32 26174 31034 20026 32 57 53 37 65289 12290")
    ReDim args(0 To 1)
    args(0) = PerfevalText("23454 38469 25903 20986 25968 65288 19975 20803 65289")
    args(1) = PerfevalText("20840 24180 39044 31639 25968 65288 19975 20803 65289 65307 35268 21017 37197 32622 21487 25913 20026 24180 21021 39044 31639 25968")
    RegisterUdf "EXEC_RATE", description, category, args
    description = PerfevalText("39044 31639 25191 34892 29575 24471 20998 65306 25353 35780 20998 35268 21017 35745 31639 65288 40664 35748 65306 25191 34892 29575 215 20998 20540 65292 26368 39640 20026 20998 20540 65289 12290")
    ReDim args(0 To 3)
    args(0) = PerfevalText("23454 38469 25903 20986 25968 65288 19975 20803 65289")
    args(1) = PerfevalText("20840 24180 39044 31639 25968 65288 19975 20803 65289")
    args(2) = PerfevalText("39044 31639 25191 34892 29575 30340 20998 20540 65292 21487 30465 30053 65288 40664 35748 25353 35780 20998 35268 21017 65292 19968 33324 20026 32 49 48 65289")
    args(3) = PerfevalText("35780 20998 35268 21017 21517 31216 65292 21487 30465 30053 65288 40664 35748 21462 12300 37197 32622 12301 34920 20013 30340 35268 21017 65292 22914 32 103 97 110 115 117 45 100 101 112 97 114 116 109 101")
    args(3) = args(3) & PerfevalText("110 116 65289")
    RegisterUdf "EXEC_SCORE", description, category, args
    description = PerfevalText("33258 35780 31561 32423 65306 20248 65288 8805 57 48 65289 12289 33391 65288 56 48 65374 57 48 65289 12289 20013 65288 54 48 65374 56 48 65289 12289 24046 65288 60 54 48 65289 65292 25353 35780 20998")
    description = description & PerfevalText("35268 21017 12290")
    ReDim args(0 To 1)
    args(0) = PerfevalText("24635 20998")
    args(1) = PerfevalText("35780 20998 35268 21017 21517 31216 65292 21487 30465 30053 65288 40664 35748 21462 12300 37197 32622 12301 34920 20013 30340 35268 21017 65292 22914 32 103 97 110 115 117 45 100 101 112 97 114 116 109 101")
    args(1) = args(1) & PerfevalText("110 116 65289")
    RegisterUdf "GRADE", description, category, args
    description = PerfevalText("25351 26631 24471 20998 65306 36798 26631 24471 28385 20998 65307 26410 36798 26631 25353 23436 25104 27604 20363 24471 20998 65292 21453 21521 25351 26631 25353 25351 26631 20540 247 23436 25104 20540 65307 19981 36229 36807 20998 20540")
    description = description & PerfevalText("12290")
    ReDim args(0 To 6)
    args(0) = PerfevalText("24180 24230 25351 26631 20540 65292 22914 8220 36798 57 48 37 20197 19978 8221 8220 8804 53 37 8221 8220 49 48 48 20154 8221")
    args(1) = PerfevalText("23454 38469 23436 25104 20540")
    args(2) = PerfevalText("20998 20540")
    args(3) = PerfevalText("35780 20998 35268 21017 21517 31216 65292 21487 30465 30053 65288 40664 35748 21462 12300 37197 32622 12301 34920 20013 30340 35268 21017 65292 22914 32 103 97 110 115 117 45 100 101 112 97 114 116 109 101")
    args(3) = args(3) & PerfevalText("110 116 65289")
    args(4) = PerfevalText("25351 26631 24615 36136 65306 23450 37327 32 47 32 23450 24615 65292 21487 30465 30053 65288 25353 24180 24230 25351 26631 20540 21028 26029 65289")
    args(5) = PerfevalText("25351 26631 26041 21521 65306 27491 21521 32 47 32 21453 21521 65292 21487 30465 30053 65288 25353 24180 24230 25351 26631 20540 21028 26029 65289")
    args(6) = PerfevalText("23436 25104 20540 21333 20803 26684 30340 26684 24335 65292 21487 30465 30053 65307 22635 32 67 69 76 76 40 34 102 111 114 109 97 116 34 44 23436 25104 20540 21333 20803 26684 41 65292 30334 20998")
    args(6) = args(6) & PerfevalText("27604 26684 24335 26102 25353 30334 20998 27604 35835 21462 65288 50 52 48 37 32 21363 32 50 46 52 65289")
    RegisterUdf "SCORE", description, category, args
    description = PerfevalText("25972 24352 25351 26631 34920 19968 27425 35745 31639 65306 27599 34892 36820 22238 32 24471 20998 12289 31995 32479 35299 35835 12289 23450 24615 26723 27425 32 19977 21015 65288 20197 25968 32452 20844 24335 36755 20837 65292 34892")
    description = description & PerfevalText("25968 19982 25351 26631 34892 30456 21516 65289 12290")
    ReDim args(0 To 6)
    args(0) = PerfevalText("24180 24230 25351 26631 20540 21306 22495 65288 19968 21015 65289")
    args(1) = PerfevalText("23454 38469 23436 25104 20540 21306 22495 65292 19982 25351 26631 20540 21306 22495 21516 26679 34892 25968")
    args(2) = PerfevalText("20998 20540 21306 22495")
    args(3) = PerfevalText("35780 20998 35268 21017 21517 31216 65292 21487 30465 30053 65288 40664 35748 21462 12300 37197 32622 12301 34920 20013 30340 35268 21017 65292 22914 32 103 97 110 115 117 45 100 101 112 97 114 116 109 101")
    args(3) = args(3) & PerfevalText("110 116 65289")
    args(4) = PerfevalText("25351 26631 24615 36136 21306 22495 65288 23450 37327 32 47 32 23450 24615 65289 65292 21487 30465 30053")
    args(5) = PerfevalText("25351 26631 26041 21521 21306 22495 65288 27491 21521 32 47 32 21453 21521 65289 65292 21487 30465 30053")
    args(6) = PerfevalText("23436 25104 20540 26159 21542 20026 30334 20998 27604 26684 24335 30340 21306 22495 65288 84 82 85 69 32 47 32 70 65 76 83 69 65289 65292 21487 30465 30053")
    RegisterUdf "SCORE_TABLE", description, category, args
    description = PerfevalText("26174 31034 24180 24230 25351 26631 20540 34987 29702 35299 25104 20160 20040 65292 22914 8220 36798 57 48 37 20197 19978 8221 8594 8220 8805 57 48 37 8221 65292 20415 20110 26680 23545 12290")
    ReDim args(0 To 2)
    args(0) = PerfevalText("24180 24230 25351 26631 20540 30340 21407 25991")
    args(1) = PerfevalText("25351 26631 24615 36136 65306 23450 37327 32 47 32 23450 24615 65292 21487 30465 30053")
    args(2) = PerfevalText("25351 26631 26041 21521 65306 27491 21521 32 47 32 21453 21521 65292 21487 30465 30053")
    RegisterUdf "TARGET", description, category, args
    description = PerfevalText("24635 20998 32 61 32 39044 31639 25191 34892 29575 24471 20998 32 43 32 931 25351 26631 24471 20998 32 8722 32 931 25187 20998 65288 19981 20302 20110 32 48 65289 65307 38750 25968 23383 30340 24471 20998")
    description = description & PerfevalText("35745 20026 32 48 12290")
    ReDim args(0 To 3)
    args(0) = PerfevalText("21508 25351 26631 24471 20998 21306 22495")
    args(1) = PerfevalText("25187 20998 21306 22495 65288 24033 35270 12289 23457 35745 12289 36130 25919 30417 30563 21457 29616 38382 39064 65289 65292 21487 30465 30053")
    args(2) = PerfevalText("39044 31639 25191 34892 29575 24471 20998 65292 21487 30465 30053")
    args(3) = PerfevalText("35780 20998 35268 21017 21517 31216 65292 21487 30465 30053 65288 40664 35748 21462 12300 37197 32622 12301 34920 20013 30340 35268 21017 65292 22914 32 103 97 110 115 117 45 100 101 112 97 114 116 109 101")
    args(3) = args(3) & PerfevalText("110 116 65289")
    RegisterUdf "TOTAL", description, category, args
    description = PerfevalText("25353 36164 37329 39069 24230 21152 26435 24179 22343 65306 931 40 25968 20540 215 26435 37325 41 247 931 26435 37325 65292 31354 34892 36339 36807 12290")
    ReDim args(0 To 1)
    args(0) = PerfevalText("35201 24179 22343 30340 25968 20540 21306 22495 65292 22914 21508 21333 20301 30340 23436 25104 29575")
    args(1) = PerfevalText("26435 37325 21306 22495 65288 36164 37329 39069 24230 65289 65292 19982 25968 20540 21306 22495 21516 26679 22823 23567")
    RegisterUdf "WAVG", description, category, args
End Sub

Private Sub RegisterUdf(ByVal functionName As String, ByVal description As String, _
                        ByVal category As String, args As Variant)
    ' A protected or hidden workbook may refuse; the functions work all the same.
    On Error Resume Next
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!" & functionName, _
        Description:=description, Category:=category, ArgumentDescriptions:=args
End Sub

Public Function PerfevalText(ByVal codes As String) As String
    ' "32489 25928" -> the two characters U+7EE9 U+6548 (decimal UTF-16 code units).
    Dim parts() As String, i As Long, s As String
    s = ""
    If Len(codes) > 0 Then
        parts = Split(codes, " ")
        For i = LBound(parts) To UBound(parts)
            s = s & ChrW(CLng(parts(i)))
        Next i
    End If
    PerfevalText = s
End Function

Public Function PerfevalUdfFailed(ByVal reason As String) As Variant
    ' Remember why (the latest reason) and answer #N/A (xlErrNA = 2042).
    lastUdfFailure = reason
    PerfevalUdfFailed = CVErr(2042)
End Function

Public Function PerfevalUdfFailure() As String
    ' Why the last call to Python failed (empty when none did); read by the environment check.
    PerfevalUdfFailure = lastUdfFailure
End Function
