// bkctl arrives with the allocation API issue; until then it only reports its version.
Console.WriteLine($"bkctl {typeof(Program).Assembly.GetName().Version}: not implemented yet.");
return 0;
