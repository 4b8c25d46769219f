// Solution (course: check_for_leakage): true when some patient id occurs in both lists.
Exercises.LeakageCheck checkForLeakage = (patientsA, patientsB) -> {
    Set<String> seen = new HashSet<>(patientsA);
    return patientsB.stream().anyMatch(seen::contains);
};
