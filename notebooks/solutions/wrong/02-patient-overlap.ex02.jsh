// A typical wrong answer, used by ./cxr test to prove that the check reports it: compares whole lists.
Exercises.LeakageCheck checkForLeakage = (patientsA, patientsB) -> patientsA.equals(patientsB);
