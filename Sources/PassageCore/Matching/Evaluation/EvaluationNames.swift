/// The names the evaluation set draws from: each a name as its bearer's documents may spell it in
/// Latin letters (the first is the most usual) and in Arabic script. Frequencies follow the list
/// order (Zipf), so namesakes are as common as they are in a caseload: many Mohammeds.
enum EvaluationNames {
    struct Name {
        let latin: [String]
        let arabic: String
    }

    static func names(_ table: [(String, String)]) -> [Name] {
        table.map { Name(latin: $0.0.split(separator: "/").map(String.init), arabic: $0.1) }
    }

    static let male = names([
        ("Mohammed/Muhammad/Mohamed/Mohammad/Mohamad", "محمد"), ("Ahmed/Ahmad/Ahmet", "أحمد"), ("Ali/Aly", "علي"),
        ("Hassan/Hasan", "حسن"), ("Hussein/Hussain/Husain/Husayn", "حسين"), ("Omar/Umar/Omer", "عمر"),
        ("Khaled/Khalid", "خالد"), ("Youssef/Yusuf/Yousef/Yousif", "يوسف"), ("Ibrahim/Ebrahim/Brahim", "إبراهيم"),
        ("Mustafa/Moustafa/Mostafa", "مصطفى"), ("Abdullah/Abdallah/Abdulla", "عبدالله"),
        ("Abdulrahman/Abdel Rahman/Abdelrahman/Abd al-Rahman", "عبد الرحمن"), ("Mahmoud/Mahmud/Mahmood", "محمود"),
        ("Karim/Kareem", "كريم"), ("Samir/Sameer", "سمير"), ("Tariq/Tarek/Tarik", "طارق"), ("Walid/Waleed", "وليد"),
        ("Jamal/Gamal/Djamal", "جمال"), ("Nabil/Nabeel", "نبيل"), ("Saeed/Said/Sayed", "سعيد"),
        ("Hamza/Hamzah", "حمزة"), ("Bilal/Belal", "بلال"), ("Yasser/Yasir/Yaser", "ياسر"), ("Ziad/Ziyad", "زياد"),
        ("Faisal/Faysal/Feisal", "فيصل"), ("Rami/Ramy", "رامي"), ("Majid/Majed/Maged", "ماجد"), ("Adel/Adil", "عادل"),
        ("Imad/Emad", "عماد"), ("Anas", "أنس"), ("Osama/Usama/Oussama", "أسامة"), ("Nasser/Nasir/Naser", "ناصر"),
        ("Salim/Saleem/Selim", "سليم"), ("Fadi/Fady", "فادي"), ("Sami/Samy", "سامي"), ("Hadi/Hady", "هادي"),
        ("Ammar/Amar", "عمار"), ("Riad/Riyad/Riyadh", "رياض"), ("Jawad/Jawed", "جواد"), ("Mansour/Mansur", "منصور"),
        ("Farid/Fareed", "فريد"), ("Nawid/Navid", "نويد"), ("Abdi", "عبدي"), ("Hamid/Hamed", "حامد"),
        ("Rashid/Rachid/Rasheed", "رشيد"), ("Ismail/Ismael", "إسماعيل"), ("Musa/Moussa/Mousa", "موسى"),
        ("Issa/Isa", "عيسى"), ("Tahir/Taher", "طاهر"), ("Habib", "حبيب"), ("Idris/Idriss", "إدريس"),
        ("Marwan", "مروان"), ("Ghassan", "غسان"), ("Bashir/Basheer", "بشير"), ("Kamal", "كمال"),
    ])

    static let female = names([
        ("Fatima/Fatimah/Fatma/Fatuma", "فاطمة"), ("Aisha/Aicha/Ayesha/Aysha", "عائشة"),
        ("Maryam/Mariam/Meryem", "مريم"), ("Zainab/Zeinab/Zaynab", "زينب"), ("Khadija/Khadijah/Khadidja", "خديجة"),
        ("Amina/Aminah/Ameena", "أمينة"), ("Noor/Nour/Nur", "نور"), ("Sara/Sarah", "سارة"),
        ("Layla/Leila/Laila", "ليلى"), ("Huda/Houda/Hoda", "هدى"), ("Rana", "رنا"), ("Hiba/Heba", "هبة"),
        ("Rasha", "رشا"), ("Samira/Sameera", "سميرة"), ("Yasmin/Yasmine", "ياسمين"), ("Reem/Rim", "ريم"),
        ("Asma/Asmaa", "أسماء"), ("Salma", "سلمى"), ("Dina/Dena", "دينا"), ("Ghada", "غادة"),
        ("Nadia/Nadiya", "نادية"), ("Hanan", "حنان"), ("Rania/Ranya", "رانيا"), ("Lina/Leena", "لينا"),
        ("Mona/Muna", "منى"), ("Safiya/Safia", "صفية"), ("Halima/Halimah", "حليمة"), ("Rukia/Ruqaya", "رقية"),
    ])

    static let family = names([
        ("Al-Hassan/Hassan", "الحسن"), ("Haddad", "حداد"), ("Khalil/Khaleel", "خليل"), ("Saleh/Salih", "صالح"),
        ("Abbas", "عباس"), ("Hamdan", "حمدان"), ("Al-Masri/Masri", "المصري"), ("Darwish/Darweesh", "درويش"),
        ("Othman/Osman/Uthman", "عثمان"), ("Suleiman/Sulaiman/Soliman", "سليمان"), ("Yassin/Yasin", "ياسين"),
        ("Qasim/Kassem/Qassem", "قاسم"), ("Haidar/Haider/Hayder", "حيدر"), ("Jaber/Jabir", "جابر"),
        ("Al-Sheikh/Sheikh/Shaikh", "الشيخ"), ("Rahimi", "رحيمي"), ("Ahmadi", "أحمدي"),
        ("Al-Hashimi/Hashemi", "الهاشمي"), ("Karimi", "كريمي"), ("Farah", "فرح"), ("Warsame", "ورسمي"),
        ("Zaher/Zahir", "ظاهر"), ("Nouri/Nuri", "نوري"), ("Bakr/Bakir", "بكر"), ("Sharif/Cherif", "شريف"),
        ("Aziz", "عزيز"), ("Al-Kurdi/Kurdi", "الكردي"), ("Al-Halabi/Halabi", "الحلبي"), ("Dabbagh", "الدباغ"),
        ("Al-Obeidi/Ubaidi", "العبيدي"), ("Al-Jubouri/Jabouri", "الجبوري"), ("Al-Dulaimi/Dulaymi", "الدليمي"),
        ("Al-Tamimi/Tamimi", "التميمي"), ("Al-Shammari/Shammari", "الشمري"), ("Al-Zubaidi/Zubaidi", "الزبيدي"),
        ("Mahmoud/Mahmud", "محمود"), ("Hussein/Husain", "حسين"), ("Ibrahim", "إبراهيم"), ("Ali", "علي"),
        ("Omar/Umar", "عمر"), ("Al-Khatib/Khatib", "الخطيب"), ("Al-Najjar/Najjar", "النجار"),
        ("Mansour/Mansur", "منصور"), ("Nasser/Nasir", "ناصر"), ("Barakat", "بركات"), ("Hamoud/Hammoud", "حمود"),
        ("Sabbagh", "الصباغ"), ("Khoury/Khouri", "الخوري"), ("Azzam", "عزام"), ("Qureshi/Kureishi", "القرشي"),
    ])

    static let nationalities = ["SY", "SY", "SY", "IQ", "IQ", "AF", "AF", "SD", "SO", "YE", "ER", "PS"]
}
